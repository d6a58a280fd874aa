package dev.workbench.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import dev.workbench.recipe.WorkbenchException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Dynamic loss scaling for fp16 training, the algorithm of PyTorch's {@code torch.amp.GradScaler}
 * ({@code torch/amp/grad_scaler.py} and the {@code _amp_update_scale_} kernel): the loss is multiplied by the scale
 * before backward so that small fp16 gradients do not flush to zero; the gradients are divided by it again before
 * clipping and the optimizer. A step whose unscaled gradients hold an inf or NaN is an overflow: its update is skipped
 * (parameters and optimizer state untouched) and the scale is multiplied by the backoff factor; after
 * {@code growthInterval} good steps in a row the scale is multiplied by the growth factor. Written here because DJL
 * has neither autocast nor a scaler.
 *
 * <p>The state (scale and the count of good steps) is saved in every checkpoint ({@value #STATE_FILE}) and read back on
 * resume, so a resumed run scales exactly as an uninterrupted one. Doubles are written with {@link Double#toString},
 * which round-trips exactly.
 */
public final class LossScaler {
    /** Loss-scaler state file inside a checkpoint folder. */
    public static final String STATE_FILE = "loss_scale.txt";

    /** GradScaler's constructor arguments; {@link #torchDefaults()} are its defaults. */
    public record Settings(double initScale, double growthFactor, double backoffFactor, int growthInterval) {
        public Settings {
            if (!(initScale > 0) || !(growthFactor > 1) || !(backoffFactor > 0 && backoffFactor < 1)
                    || growthInterval < 1) {
                throw WorkbenchException.invalid("loss scaling needs init scale > 0, growth factor > 1, 0 < backoff"
                        + " < 1 and growth interval >= 1; got " + this);
            }
        }

        /** {@code GradScaler(init_scale=2.**16, growth_factor=2.0, backoff_factor=0.5, growth_interval=2000)}. */
        public static Settings torchDefaults() {
            return new Settings(65536.0, 2.0, 0.5, 2000);
        }
    }

    private final Settings settings;
    private double scale;
    private int goodSteps;

    public LossScaler(Settings settings) {
        this.settings = settings;
        this.scale = settings.initScale();
    }

    public double scale() {
        return scale;
    }

    /** Good steps since the last change of scale (GradScaler's growth tracker). */
    public int goodSteps() {
        return goodSteps;
    }

    /**
     * The loss times the scale. The factor is an array on the loss's manager rather than {@code mul(Number)}: DJL frees
     * a scalar operand right after the op, while autograd still needs it for backward.
     */
    public NDArray scaleLoss(NDArray loss) {
        return loss.mul(loss.getManager().create((float) scale).toDevice(loss.getDevice(), false));
    }

    /**
     * Divides every trainable gradient by the scale, in place (GradScaler.unscale_: multiplied by the fp32 reciprocal,
     * exact for the powers of two the scale takes with the default factors); true when all are finite afterwards.
     */
    public boolean unscale(ModelParameters parameters) {
        float inverse = (float) (1.0 / scale);
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            for (Parameter p : parameters.trainable().values()) {
                ModelParameters.gradient(p).ifPresent(g -> g.muli(inverse));
            }
            return parameters.gradientsFinite();
        }
    }

    /** After each step: back off on an overflow, grow after {@code growthInterval} good steps in a row. */
    public void update(boolean overflow) {
        if (overflow) {
            scale *= settings.backoffFactor();
            goodSteps = 0;
        } else if (++goodSteps == settings.growthInterval()) {
            scale *= settings.growthFactor();
            goodSteps = 0;
        }
    }

    public void save(Path file) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("scale", Double.toString(scale));
        values.put("good_steps", Integer.toString(goodSteps));
        StringBuilder text = new StringBuilder();
        values.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Files.writeString(file, text.toString());
    }

    /** Reads what {@link #save} wrote; a malformed file is refused with its line. */
    public void load(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        Double readScale = null;
        Integer readGood = null;
        for (int i = 0; i < lines.size(); i++) {
            String[] kv = lines.get(i).split("=", 2);
            try {
                switch (kv[0]) {
                    case "scale" -> readScale = Double.parseDouble(kv[1]);
                    case "good_steps" -> readGood = Integer.parseInt(kv[1]);
                    default -> throw new NumberFormatException("unknown key " + kv[0]);
                }
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                throw WorkbenchException.invalid(String.format(Locale.ROOT, "%s:%d:1: cannot read '%s' (%s); the"
                        + " checkpoint's loss-scaler state is damaged", file, i + 1, lines.get(i), e.getMessage()));
            }
        }
        if (readScale == null || readGood == null || !(readScale > 0)) {
            throw WorkbenchException.invalid(file + ":1:1: needs scale > 0 and good_steps; the checkpoint's"
                    + " loss-scaler state is damaged");
        }
        scale = readScale;
        goodSteps = readGood;
    }
}
