package dev.workbench.finetune;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.workbench.model.fused.FusedOps;
import dev.workbench.model.gpt.GptConfig;
import dev.workbench.model.gpt.GptModel;
import dev.workbench.optim.Adam;
import dev.workbench.optim.ModelParameters;
import dev.workbench.recipe.Training;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The training loop on a small GPT gives the same per-step training and validation losses (within 1e-5) with the
 * workbench's libtorch extension (fused attention and fused Adam) as with the unfused ops, for AdamW with decoupled
 * decay on the matrices and Adam with L2. Runs only where the extension is loaded (own-libtorch mode after
 * {@code workbench native build}; scripts/native/check-own-libtorch.sh); skipped with the bundled natives.
 */
class FusedTrainingTest {
    private static final double TOLERANCE = 1e-5;

    @BeforeEach
    void needsTheExtension() {
        assumeTrue(FusedOps.present(), () -> "no libtorch extension: " + FusedOps.absence().orElse(""));
    }

    @Test
    void adamWLossesMatch(@TempDir Path dir) throws IOException {
        compare(Adam.Settings.adamW(0.1), dir);
    }

    @Test
    void adamWithL2LossesMatch(@TempDir Path dir) throws IOException {
        compare(new Adam.Settings(0.9, 0.999, 1e-8, 0.01, Adam.WeightDecay.COUPLED), dir);
    }

    private static void compare(Adam.Settings adam, Path dir) throws IOException {
        List<double[]> fused = losses(adam, true, dir.resolve("fused"));
        List<double[]> unfused = losses(adam, false, dir.resolve("unfused"));
        double[] fusedWeights = fused.remove(fused.size() - 1);
        double[] unfusedWeights = unfused.remove(unfused.size() - 1);
        double weightDiff = 0;
        for (int i = 0; i < fusedWeights.length; i++) {
            weightDiff = Math.max(weightDiff, Math.abs(fusedWeights[i] - unfusedWeights[i]));
        }
        assertTrue(weightDiff <= TOLERANCE, "trained weights differ by " + weightDiff);
        assertEquals(unfused.size(), fused.size());
        assertTrue(fused.size() >= 8, "steps logged: " + fused.size());
        double worst = 0;
        for (int i = 0; i < fused.size(); i++) {
            for (int c = 0; c < 2; c++) {
                double a = fused.get(i)[c];
                double b = unfused.get(i)[c];
                if (Double.isNaN(a) && Double.isNaN(b)) {
                    continue;
                }
                assertTrue(Math.abs(a - b) <= TOLERANCE, "step " + (i + 1) + (c == 0 ? " loss " : " val_loss ")
                        + a + " fused vs " + b + " unfused");
                worst = Math.max(worst, Math.abs(a - b));
            }
        }
        // quoted by scripts/native/check-own-libtorch.sh
        System.out.println("fused vs unfused training loop (" + adam.decay() + "), " + fused.size()
                + " steps, max loss diff: " + worst + ", max trained-weight diff: " + weightDiff + ", last loss " + fused.get(fused.size() - 1)[0]);
    }

    /** Per step: training loss and validation loss (NaN where not evaluated), as metrics.csv records them. */
    private static List<double[]> losses(Adam.Settings adam, boolean fused, Path dir) throws IOException {
        if (!fused) {
            System.setProperty(FusedOps.SWITCH, "off");
        }
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            assertEquals(fused, FusedOps.enabled());
            Engine.getInstance().setRandomSeed(3);
            GptModel model = GptModel.create(new GptConfig(64, 16, 2, 2, 32, 0.0), 3, manager);
            ModelParameters parameters = ModelParameters.of(model);
            Random random = new Random(11);
            int[] train = new int[16 * 40 + 1];
            int[] validation = new int[16 * 8 + 1];
            for (int[] stream : new int[][] {train, validation}) {
                for (int i = 0; i < stream.length; i++) {
                    stream[i] = random.nextInt(60);
                }
            }
            LanguageModelTask task = new LanguageModelTask(model, parameters, new TokenWindows(train, 16),
                    new TokenWindows(validation, 16), 4, 2, 5,
                    (target, files) -> Checkpoints.saveGeneric(target, parameters, files));
            long steps = 8;
            TrainingLoop.Settings settings = new TrainingLoop.Settings("fused", steps, 1.0,
                    new LrSchedule(Training.LrSchedule.COSINE, 3e-3, 2, steps), adam, 2, Optional.empty(), 0, 1, 3,
                    1, 42);
            new TrainingLoop(settings, new PrintStream(OutputStream.nullOutputStream())).run(task, Device.cpu(),
                    dir.resolve("checkpoints"), dir.resolve("metrics.csv"), Optional.empty());
            List<double[]> rows = new ArrayList<>();
            for (String line : Files.readAllLines(dir.resolve("metrics.csv"))) {
                String[] cells = line.split(",", -1);
                if (line.startsWith("step")) {
                    continue;
                }
                rows.add(new double[] {Double.parseDouble(cells[2]),
                    cells[6].isEmpty() ? Double.NaN : Double.parseDouble(cells[6])});
            }
            // the trained weights too (metrics.csv rounds to 6 digits), flattened as the last row
            List<Double> weights = new ArrayList<>();
            parameters.all().forEach((name, p) -> {
                if (name.endsWith("attention.k.bias")) {
                    // its true gradient is 0 (a key bias shifts every score of a query row alike, and softmax ignores
                    // that), so its gradient is round-off, which differs between the two attention kernels, and
                    // Adam's normalisation scales round-off up to lr-sized steps: no kernel can agree there
                    return;
                }
                for (float f : p.getArray().toFloatArray()) {
                    weights.add((double) f);
                }
            });
            rows.add(weights.stream().mapToDouble(Double::doubleValue).toArray());
            return rows;
        } finally {
            System.clearProperty(FusedOps.SWITCH);
        }
    }
}
