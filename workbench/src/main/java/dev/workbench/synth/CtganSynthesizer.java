package dev.workbench.synth;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.engine.Engine;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.workbench.data.Permutation;
import dev.workbench.data.Table;
import dev.workbench.optim.Adam;
import dev.workbench.recipe.SynthesisMethod;
import dev.workbench.recipe.WorkbenchException;
import dev.workbench.store.Metric;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.LongPredicate;

/**
 * CTGAN (Xu et al., NeurIPS 2019; sdv-dev/CTGAN v0.12.1) on DJL's PyTorch engine: mode-specific normalisation
 * ({@link TableEncoder}), a conditional residual generator with BatchNorm ({@link Generator}), a PacGAN critic with
 * dropout ({@link Critic}), WGAN-GP with an analytic input gradient, training-by-sampling with a log-frequency
 * conditional vector, Gumbel-softmax outputs and Adam (betas 0.5, 0.9).
 *
 * <p>Every random number (weights, noise, conditions, dropout masks, Gumbel noise, row picks, mode sampling) comes from
 * seeded {@link Random} streams in Java, so the same seed gives the same generator and the same samples. Deliberate
 * differences from the library: conditional sampling uses each discrete column's own offset (the library's
 * {@code _discrete_column_matrix_st} bug, CTGAN #169/#273, is not copied); unconditional sampling draws conditions
 * from the empirical frequencies unless configured otherwise; missing numbers are modelled with an indicator span
 * (the library rejects them).
 */
public final class CtganSynthesizer implements Synthesizer {
    public static final String NAME = SynthesisMethod.CTGAN.recipeName();
    private static final double ADAM_BETA1 = 0.5;
    private static final double ADAM_BETA2 = 0.9;
    private static final double ADAM_EPSILON = 1e-8;
    private static final String LOSSES_HEADER = "epoch,generator_steps,generator_loss,critic_loss,gradient_penalty,"
            + "seconds";

    /** One row of {@code synthetic/ctgan/losses.csv}: means over the epoch's steps. */
    public record EpochLoss(@JsonProperty("epoch") int epoch, @JsonProperty("steps") long steps,
                            @JsonProperty("generator_loss") double generatorLoss,
                            @JsonProperty("critic_loss") double criticLoss,
                            @JsonProperty("gradient_penalty") double gradientPenalty,
                            @JsonProperty("seconds") double seconds) {
    }

    private final CtganConfig config;
    private final DataType dataType = DataType.FLOAT32;
    // a step's losses, in StepTraining's arrays: {critic loss, gradient penalty, generator loss}
    private final StepTraining training = new StepTraining(NAME,
            "Lower synthesize.generator_learning_rate / critic_learning_rate or check the table for extreme values.",
            losses -> String.format(Locale.ROOT, "critic loss %s / generator loss %s", losses[0], losses[2]),
            losses -> String.format(Locale.ROOT, "generator %.4f critic %.4f", losses[2], losses[0]));
    private NDManager manager;
    private TableProfile profile;
    private TableEncoder encoder;
    private Generator generator;
    private int batchSize;
    private int pac;
    private int[][] categoryCounts;
    private final List<EpochLoss> losses = new ArrayList<>();
    private int lastForcedRows;
    /** Test hook: generator steps (1-based) whose critic and generator losses are multiplied by NaN. */
    LongPredicate injectNonFinite = step -> false;

    public CtganSynthesizer(CtganConfig config) {
        if (config.generatorDims().isEmpty() || config.criticDims().isEmpty()) {
            throw WorkbenchException.invalid("synthesize: generator_dims and critic_dims need at least one layer");
        }
        this.config = config;
    }

    @Override
    public String name() {
        return NAME;
    }

    public CtganConfig config() {
        return config;
    }

    @Override
    public Optional<StepBudget> budget(int trainRows) {
        return Optional.of(config.budget(trainRows));
    }

    public List<EpochLoss> losses() {
        return List.copyOf(losses);
    }

    /** Generator steps (a critic and a generator update each), skipped ones and timings of the last fit. */
    public TrainingFacts training() {
        return training.facts();
    }

    public int batchSize() {
        return batchSize;
    }

    /** Rows of the last {@link #sample} call whose conditioned cells had to be overwritten. */
    public int lastForcedRows() {
        return lastForcedRows;
    }

    public TableEncoder encoder() {
        return encoder;
    }

    @Override
    public FitReport fit(Table train, TableProfile tableProfile, long seed, FitOptions options) {
        long start = System.nanoTime();
        StepTraining.Start begin = StepTraining.start(train, tableProfile, seed);
        close();
        this.profile = tableProfile;
        this.encoder = begin.encoder();
        TableEncoder.Encoded encoded = begin.encoded();
        int rows = encoded.rows();
        StepBudget budget = config.budget(rows);
        this.batchSize = budget.batchSize();
        this.pac = budget.pac().orElseThrow();
        List<TableEncoder.DiscreteColumn> discrete = encoder.discreteColumns();
        categoryCounts = new int[discrete.size()][];
        int[][][] rowsByCategory = new int[discrete.size()][][];
        for (int j = 0; j < discrete.size(); j++) {
            int categories = discrete.get(j).categories();
            categoryCounts[j] = new int[categories];
            for (int index : encoded.categoryIndex()[j]) {
                categoryCounts[j][index]++;
            }
            rowsByCategory[j] = new int[categories][];
            int[] fill = new int[categories];
            for (int c = 0; c < categories; c++) {
                rowsByCategory[j][c] = new int[categoryCounts[j][c]];
            }
            for (int r = 0; r < rows; r++) {
                int c = encoded.categoryIndex()[j][r];
                rowsByCategory[j][c][fill[c]++] = r;
            }
        }
        double[][] trainingPmf = pmfs(config.logFrequency());

        manager = NDManager.newBaseManager();
        int width = encoder.width();
        int condWidth = encoder.condWidth();
        generator = new Generator(manager, dataType, config.noiseDim() + condWidth, config.generatorDims(), width,
                encoder.spans(), begin.init());
        Critic critic = new Critic(manager, dataType, pac * (width + condWidth), config.criticDims(),
                config.criticDropout(), begin.init());
        Adam.Settings adam = new Adam.Settings(ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON, config.weightDecay(),
                Adam.WeightDecay.COUPLED);
        try (Adam generatorAdam = new Adam(adam, manager.getDevice());
             Adam criticAdam = new Adam(adam, manager.getDevice())) {
            losses.clear();
            training.run(start, budget, options, (step, indexInEpoch) -> trainStep(step, critic, criticAdam,
                    generatorAdam, encoded, rowsByCategory, trainingPmf, begin.train()),
                    epoch -> losses.add(new EpochLoss(epoch.epoch(), epoch.steps(), epoch.mean(2), epoch.mean(0),
                            epoch.mean(1), epoch.seconds())));
        }
        TrainingFacts facts = training.facts();
        EpochLoss last = losses.get(losses.size() - 1);
        return new FitReport(List.of(new FitReport.Value(Metric.GENERATOR_LOSS_FINAL, last.generatorLoss()),
                new FitReport.Value(Metric.CRITIC_LOSS_FINAL, last.criticLoss()),
                new FitReport.Value(Metric.GENERATOR_STEPS, facts.steps()),
                new FitReport.Value(Metric.SKIPPED_STEPS, facts.skippedSteps())),
                Optional.of(new FitReport.LossTable(LOSSES_HEADER, losses.stream().map(l -> String.format(Locale.ROOT,
                        "%d,%d,%.6f,%.6f,%.6f,%.3f", l.epoch(), l.steps(), l.generatorLoss(), l.criticLoss(),
                        l.gradientPenalty(), l.seconds())).toList())));
    }

    /**
     * Generator step {@code stepNumber} (1-based): one critic update and one generator update. Not finite when either
     * network's loss or gradient was not, in which case that network's update was not applied (its Adam moments and
     * weights stay as they were).
     */
    private StepTraining.Step trainStep(long stepNumber, Critic critic, Adam criticAdam, Adam generatorAdam,
                                        TableEncoder.Encoded encoded, int[][][] rowsByCategory, double[][] pmf,
                                        Random random) {
        int b = batchSize;
        int width = encoder.width();
        int condWidth = encoder.condWidth();
        int packs = b / pac;
        double criticLoss;
        double penaltyValue;
        double generatorLoss;
        try (NDScope scope = new NDScope(); NDManager step = manager.newSubManager()) {
            scope.suppressNotUsedWarning();
            // Critic update: fake rows (no graph) vs real rows matching a permutation of the same conditions.
            Conditions c1 = sampleConditions(b, pmf, random);
            NDArray noise = gaussian(step, b, config.noiseDim(), random);
            NDArray fake = generator.activate(generator.forward(withCondition(step, noise, c1), true, true),
                    uniforms(step, b, width, random), config.gumbelTau());
            int[] perm = Permutation.of(b, random);
            float[] real = new float[b * width];
            float[] permutedCond = new float[b * condWidth];
            for (int r = 0; r < b; r++) {
                int source = perm[r];
                int row;
                if (c1.column.length == 0) {
                    row = random.nextInt(encoded.rows());
                } else {
                    int[] candidates = rowsByCategory[c1.column[source]][c1.category[source]];
                    row = candidates.length == 0 ? random.nextInt(encoded.rows())
                            : candidates[random.nextInt(candidates.length)];
                }
                System.arraycopy(encoded.data(), row * width, real, r * width, width);
                System.arraycopy(c1.cond, source * condWidth, permutedCond, r * condWidth, condWidth);
            }
            NDArray realCat = withCondition(step, step.create(real, new Shape(b, width)).toType(dataType, false),
                    new Conditions(permutedCond, null, null, null));
            NDArray fakeCat = withCondition(step, fake, c1);
            NDArray realPacked = realCat.reshape(packs, (long) pac * (width + condWidth));
            NDArray fakePacked = fakeCat.reshape(packs, (long) pac * (width + condWidth));
            double[] alpha = new double[packs];
            for (int i = 0; i < packs; i++) {
                alpha[i] = random.nextDouble();
            }
            NDArray interpolation = step.create(alpha, new Shape(packs, 1)).toType(dataType, false);
            List<NDArray> masksFake = critic.dropoutMasks(step, packs, random);
            List<NDArray> masksReal = critic.dropoutMasks(step, packs, random);
            List<NDArray> masksPenalty = critic.dropoutMasks(step, packs, random);
            critic.parameters().zeroGradients();
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray yFake = critic.forward(fakePacked, masksFake).output();
                NDArray yReal = critic.forward(realPacked, masksReal).output();
                NDArray penalty = critic.gradientPenalty(realPacked, fakePacked, interpolation, masksPenalty,
                        config.gradientPenaltyWeight());
                NDArray lossD = yReal.mean().sub(yFake.mean()).neg();
                NDArray objective = lossD.add(penalty);
                if (injectNonFinite.test(stepNumber)) {
                    lossD = lossD.mul(step.create(Float.NaN).toType(dataType, false));
                    objective = objective.mul(step.create(Float.NaN).toType(dataType, false));
                }
                collector.backward(objective);
                criticLoss = lossD.getFloat();
                penaltyValue = penalty.getFloat();
            }
            boolean criticFinite = Double.isFinite(criticLoss) && Double.isFinite(penaltyValue)
                    && critic.parameters().gradientsFinite();
            if (criticFinite) {
                criticAdam.update(critic.parameters(), config.criticLearningRate());
            } else {
                critic.parameters().zeroGradients(true);
            }

            // Generator update: fresh noise and conditions; critic scores + cross-entropy on the conditioned spans.
            Conditions c2 = sampleConditions(b, pmf, random);
            NDArray noise2 = gaussian(step, b, config.noiseDim(), random);
            NDArray gumbel = uniforms(step, b, width, random);
            List<NDArray> masks = critic.dropoutMasks(step, packs, random);
            generator.parameters().zeroGradients();
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray raw = generator.forward(withCondition(step, noise2, c2), true, true);
                NDArray act = generator.activate(raw, gumbel, config.gumbelTau());
                NDArray packed = withCondition(step, act, c2).reshape(packs, (long) pac * (width + condWidth));
                NDArray yFake = critic.forward(packed, masks).output();
                NDArray lossG = yFake.mean().neg();
                if (condWidth > 0) {
                    lossG = lossG.add(conditionLoss(step, raw, c2, b));
                }
                if (injectNonFinite.test(stepNumber)) {
                    lossG = lossG.mul(step.create(Float.NaN).toType(dataType, false));
                }
                collector.backward(lossG);
                generatorLoss = lossG.getFloat();
            }
            boolean generatorFinite = Double.isFinite(generatorLoss) && generator.parameters().gradientsFinite();
            if (generatorFinite) {
                generatorAdam.update(generator.parameters(), config.generatorLearningRate());
            } else {
                // the generator's backward also ran through the critic: clear both networks' gradients
                generator.parameters().zeroGradients(true);
                critic.parameters().zeroGradients(true);
            }
            return new StepTraining.Step(new double[] {criticLoss, penaltyValue, generatorLoss},
                    criticFinite && generatorFinite);
        }
    }

    /** Cross-entropy of the raw logits of the conditioned column's span against its condition, summed / batch. */
    private NDArray conditionLoss(NDManager step, NDArray raw, Conditions c, int b) {
        NDArray condition = step.create(c.cond, new Shape(b, encoder.condWidth())).toType(dataType, false);
        NDArray mask = step.create(c.mask, new Shape(b, encoder.discreteColumns().size())).toType(dataType, false);
        NDArray total = null;
        List<TableEncoder.DiscreteColumn> discrete = encoder.discreteColumns();
        for (int j = 0; j < discrete.size(); j++) {
            TableEncoder.DiscreteColumn d = discrete.get(j);
            NDArray logProbabilities = raw.get(new NDIndex(":, {}:{}", d.dataStart(), d.dataStart() + d.categories()))
                    .logSoftmax(1);
            NDArray target = condition.get(new NDIndex(":, {}:{}", d.condStart(), d.condStart() + d.categories()));
            NDArray perRow = logProbabilities.mul(target).sum(new int[] {1}).neg()
                    .mul(mask.get(new NDIndex(":, {}", j))).div(raw.getManager().create((float) b));
            NDArray sum = perRow.sum();
            total = total == null ? sum : total.add(sum);
        }
        return total;
    }

    /** Conditional vectors of a batch: one-hot over all categories, the mask over discrete columns, and the picks. */
    private record Conditions(float[] cond, float[] mask, int[] column, int[] category) {
    }

    private Conditions sampleConditions(int b, double[][] pmf, Random random) {
        List<TableEncoder.DiscreteColumn> discrete = encoder.discreteColumns();
        int n = discrete.size();
        float[] cond = new float[b * encoder.condWidth()];
        float[] mask = new float[b * n];
        int[] column = new int[n == 0 ? 0 : b];
        int[] category = new int[n == 0 ? 0 : b];
        if (n == 0) {
            return new Conditions(cond, mask, column, category);
        }
        for (int r = 0; r < b; r++) {
            int j = random.nextInt(n);
            int c = draw(pmf[j], random);
            column[r] = j;
            category[r] = c;
            cond[r * encoder.condWidth() + discrete.get(j).condStart() + c] = 1;
            mask[r * n + j] = 1;
        }
        return new Conditions(cond, mask, column, category);
    }

    private static int draw(double[] pmf, Random random) {
        double u = random.nextDouble();
        for (int c = 0; c < pmf.length; c++) {
            u -= pmf[c];
            if (u <= 0) {
                return c;
            }
        }
        return pmf.length - 1;
    }

    /** Per discrete column, category probabilities from the training counts (log(count + 1) when {@code log}). */
    private double[][] pmfs(boolean log) {
        double[][] out = new double[categoryCounts.length][];
        for (int j = 0; j < categoryCounts.length; j++) {
            out[j] = new double[categoryCounts[j].length];
            double sum = 0;
            for (int c = 0; c < out[j].length; c++) {
                out[j][c] = log ? Math.log(categoryCounts[j][c] + 1.0) : categoryCounts[j][c];
                sum += out[j][c];
            }
            for (int c = 0; c < out[j].length; c++) {
                out[j][c] = sum > 0 ? out[j][c] / sum : 1.0 / out[j].length;
            }
        }
        return out;
    }

    private NDArray withCondition(NDManager step, NDArray data, Conditions c) {
        int condWidth = encoder.condWidth();
        if (condWidth == 0) {
            return data;
        }
        long rows = data.getShape().get(0);
        NDArray cond = step.create(c.cond, new Shape(rows, condWidth)).toType(dataType, false);
        return data.concat(cond, 1);
    }

    private NDArray gaussian(NDManager step, int rows, int columns, Random random) {
        float[] values = new float[rows * columns];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return step.create(values, new Shape(rows, columns)).toType(dataType, false);
    }

    private NDArray uniforms(NDManager step, int rows, int columns, Random random) {
        return step.create(Generator.openUniforms(rows * columns, random), new Shape(rows, columns))
                .toType(dataType, false);
    }

    @Override
    public Table sample(int n, Map<String, String> conditions, long seed) {
        if (generator == null) {
            throw new IllegalStateException("ctgan: fit or load before sampling");
        }
        Map<Integer, String> resolved = ConditionalSampling.resolve(profile, n, conditions);
        List<int[]> conditionPicks = new ArrayList<>();
        for (Map.Entry<Integer, String> condition : resolved.entrySet()) {
            TableEncoder.DiscreteColumn d = encoder.discreteColumn(profile.columns().get(condition.getKey()).name());
            int j = encoder.discreteColumns().indexOf(d);
            conditionPicks.add(new int[] {j, encoder.categoryIndex(d, condition.getValue())});
        }
        Random random = new Random(seed);
        double[][] pmf = pmfs(!config.empiricalSamplingFrequencies());
        ConditionalSampling.Result result = ConditionalSampling.collect(profile, n, resolved,
                () -> generateBatch(conditionPicks, pmf, random), ConditionalSampling.maxBatches(n, batchSize));
        lastForcedRows = result.forcedRows();
        return result.table();
    }

    /** One batch of decoded rows. Row r is conditioned on condition r mod k, or on a drawn category without any. */
    private Table generateBatch(List<int[]> conditionPicks, double[][] pmf, Random random) {
        int b = batchSize;
        int width = encoder.width();
        Conditions c;
        if (conditionPicks.isEmpty()) {
            c = sampleConditions(b, pmf, random);
        } else {
            int n = encoder.discreteColumns().size();
            float[] cond = new float[b * encoder.condWidth()];
            for (int r = 0; r < b; r++) {
                int[] pick = conditionPicks.get(r % conditionPicks.size());
                cond[r * encoder.condWidth() + encoder.discreteColumns().get(pick[0]).condStart() + pick[1]] = 1;
            }
            c = new Conditions(cond, new float[b * n], null, null);
        }
        try (NDScope scope = new NDScope(); NDManager step = manager.newSubManager()) {
            scope.suppressNotUsedWarning();
            NDArray noise = gaussian(step, b, config.noiseDim(), random);
            // BatchNorm in inference mode (running statistics): a row must not depend on the rest of its batch, which
            // under a condition all share (the library samples in training mode, one of the bugs the issue names)
            NDArray raw = generator.forward(withCondition(step, noise, c), false, false);
            NDArray act = generator.activate(raw, uniforms(step, b, width, random), config.gumbelTau());
            float[] values = act.toType(DataType.FLOAT32, false).toFloatArray();
            return encoder.decode(values, b, config.clipToRange());
        }
    }

    @Override
    public void save(Path folder) throws IOException {
        if (generator == null) {
            throw new IllegalStateException("ctgan: nothing to save before fit");
        }
        ObjectNode json = GeneratorCheckpoint.newConfig(NAME, profile, encoder);
        json.set("architecture", GeneratorCheckpoint.JSON.valueToTree(config));
        ObjectNode trained = json.putObject("training");
        trained.put("batch_size", batchSize);
        trained.put("pac", pac);
        TrainingFacts facts = training.facts();
        trained.put("generator_steps", facts.steps());
        trained.put("epochs", losses.size());
        trained.put("fit_seconds", facts.fitSeconds());
        json.set("category_counts", GeneratorCheckpoint.JSON.valueToTree(categoryCounts));
        GeneratorCheckpoint.write(folder, json, generator.parameters().toTensors());
    }

    /** Rebuilds a trained generator from a checkpoint folder's contents. */
    static CtganSynthesizer fromCheckpoint(GeneratorCheckpoint.Contents contents, Path folder) throws IOException {
        JsonNode json = contents.config();
        CtganConfig config = GeneratorCheckpoint.JSON.treeToValue(json.get("architecture"), CtganConfig.class);
        CtganSynthesizer synthesizer = new CtganSynthesizer(config);
        synthesizer.profile = GeneratorCheckpoint.profile(json);
        synthesizer.encoder = GeneratorCheckpoint.encoder(json, synthesizer.profile);
        synthesizer.batchSize = json.path("training").path("batch_size").asInt();
        synthesizer.pac = json.path("training").path("pac").asInt();
        synthesizer.training.restore(json.path("training").path("generator_steps").asLong(), 0,
                json.path("training").path("fit_seconds").asDouble());
        synthesizer.categoryCounts = GeneratorCheckpoint.JSON.convertValue(json.get("category_counts"),
                new TypeReference<int[][]>() { });
        synthesizer.manager = NDManager.newBaseManager();
        synthesizer.generator = new Generator(synthesizer.manager, synthesizer.dataType,
                config.noiseDim() + synthesizer.encoder.condWidth(), config.generatorDims(),
                synthesizer.encoder.width(), synthesizer.encoder.spans(), new Random(0));
        synthesizer.generator.parameters().load(contents.weights(), folder.resolve(GeneratorCheckpoint.WEIGHTS)
                .toString());
        return synthesizer;
    }

    /** Frees the native arrays. The synthesizer cannot sample afterwards. */
    @Override
    public void close() {
        if (manager != null) {
            manager.close();
            manager = null;
            generator = null;
        }
    }
}
