package dev.workbench.optim;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import dev.workbench.model.fused.FusedOps;
import dev.workbench.recipe.WorkbenchException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Adam, written out because DJL's optimizers keep their moments private and key them by per-instance ids, so their
 * state can be neither saved nor resumed. One implementation for fine-tuning (AdamW) and the neural synthesizers
 * (PyTorch's Adam with L2); {@link WeightDecay} picks how weight decay enters.
 *
 * <p>The update is PyTorch's (single-tensor path), step {@code t} counted from 1:
 * <pre>
 *   g  <- g + wd * w                             COUPLED only (torch.optim.Adam's L2), every parameter
 *   m  <- b1 * m + (1 - b1) * g
 *   v  <- b2 * v + (1 - b2) * g^2
 *   w  <- w * (1 - lr * wd)                      DECOUPLED only (torch.optim.AdamW), decayed parameters only
 *   w  <- w - (lr / (1 - b1^t)) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
 * </pre>
 * Both modes run the same operations in the same order, so each reproduces what its former implementation gave to the
 * last bit.
 *
 * <p>Decoupled decay applies only to parameters with two or more dimensions (matrices of linear layers and embedding
 * tables), never to biases or LayerNorm gains/shifts: the nanoGPT / minGPT convention. Decaying a LayerNorm gain pulls
 * it towards zero, which is not a regulariser of anything useful.
 *
 * <p>With the workbench's libtorch extension loaded ({@link FusedOps#enabled()}) the same update runs as one fused
 * kernel per parameter group ({@link #fusedUpdate}).
 *
 * <p>State (moments and step) is keyed by parameter name and round-trips through a safetensors file
 * ({@code <name>.exp_avg}, {@code <name>.exp_avg_sq}, {@code step}), so N steps + save + load + N steps equals 2N
 * steps bit for bit.
 */
public final class Adam implements AutoCloseable {
    /** Optimizer state file inside a checkpoint folder. */
    public static final String STATE_FILE = "optimizer.safetensors";
    private static final String STEP_KEY = "step";

    /** How weight decay enters the update. */
    public enum WeightDecay {
        /** AdamW (Loshchilov and Hutter; {@code torch.optim.AdamW}): the weights shrink, matrices only. */
        DECOUPLED,
        /** L2 added to the gradient ({@code torch.optim.Adam}'s weight_decay), every parameter: CTGAN and TVAE. */
        COUPLED
    }

    /**
     * @param beta2 0.999, the PyTorch/Hugging Face default for fine-tuning (nanoGPT uses 0.95-0.99 for pretraining)
     */
    public record Settings(double beta1, double beta2, double epsilon, double weightDecay, WeightDecay decay) {
        public Settings {
            if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(epsilon > 0) || !(weightDecay >= 0)
                    || decay == null) {
                throw WorkbenchException.invalid("Adam needs 0 <= beta < 1, epsilon > 0, weight_decay >= 0 and a "
                        + "weight decay mode; got " + this);
            }
        }

        /** Fine-tuning's AdamW: PyTorch's defaults (betas 0.9, 0.999, epsilon 1e-8), decoupled decay. */
        public static Settings adamW(double weightDecay) {
            return new Settings(0.9, 0.999, 1e-8, weightDecay, WeightDecay.DECOUPLED);
        }
    }

    /** Decoupled decay's rule: matrices and embeddings yes, vectors (biases, norms) no. */
    private static final Predicate<Parameter> DECAY_MATRICES_ONLY = p -> p.getArray().getShape().dimension() >= 2;

    private final Settings settings;
    private final NDManager stateManager;
    private final Map<String, NDArray> firstMoments = new HashMap<>();
    private final Map<String, NDArray> secondMoments = new HashMap<>();
    private long step;

    /** @param device where the moments live: the parameters' device */
    public Adam(Settings settings, Device device) {
        this.settings = settings;
        this.stateManager = NDManager.newBaseManager(device);
    }

    public Settings settings() {
        return settings;
    }

    /** Updates taken so far (skipped non-finite steps are not updates). */
    public long step() {
        return step;
    }

    /**
     * One update of every trainable parameter that has a gradient, with learning rate {@code learningRate}. Gradients
     * are read, not cleared: the loop zeroes them.
     */
    public void update(ModelParameters parameters, double learningRate) {
        step++;
        if (FusedOps.enabled()) {
            fusedUpdate(parameters, learningRate);
            return;
        }
        double b1 = settings.beta1();
        double b2 = settings.beta2();
        double stepSize = learningRate / (1 - Math.pow(b1, step));
        double biasCorrection2Sqrt = Math.sqrt(1 - Math.pow(b2, step));
        for (Map.Entry<String, Parameter> entry : parameters.trainable().entrySet()) {
            Parameter parameter = entry.getValue();
            // Every temporary made below (the gradient handle, g^2, the denominator...) dies with the scope; only the
            // moments, created once and unregistered, outlive it.
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                Optional<NDArray> maybeGradient = ModelParameters.gradient(parameter);
                if (maybeGradient.isEmpty()) {
                    continue;
                }
                NDArray g = maybeGradient.get();
                NDArray w = parameter.getArray();
                if (settings.decay() == WeightDecay.COUPLED && settings.weightDecay() != 0) {
                    g = g.add(w.mul(settings.weightDecay()));
                }
                NDArray m = moment(firstMoments, entry.getKey(), w);
                NDArray v = moment(secondMoments, entry.getKey(), w);
                m.muli(b1).addi(g.mul(1 - b1));
                v.muli(b2).addi(g.square().muli(1 - b2));
                if (settings.decay() == WeightDecay.DECOUPLED && settings.weightDecay() > 0
                        && DECAY_MATRICES_ONLY.test(parameter)) {
                    w.muli(1 - learningRate * settings.weightDecay());
                }
                NDArray denominator = v.sqrt().divi(biasCorrection2Sqrt).addi(settings.epsilon());
                w.subi(m.div(denominator).muli(stepSize));
            }
        }
    }

    /**
     * The same update as one fused kernel per group (the workbench's libtorch extension: at::_fused_adamw_ for
     * DECOUPLED, at::_fused_adam_ for COUPLED, what torch.optim's {@code fused=True} runs): parameters are grouped by
     * device, dtype and whether they decay, since a fused call takes one weight decay and tensors of one kind. Same
     * formula; the kernel's order of float operations differs, so results agree to rounding, not to the bit.
     */
    private void fusedUpdate(ModelParameters parameters, double learningRate) {
        Map<String, List<List<NDArray>>> groups = new LinkedHashMap<>();
        Map<String, Double> decayOf = new HashMap<>();
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            for (Map.Entry<String, Parameter> entry : parameters.trainable().entrySet()) {
                Parameter parameter = entry.getValue();
                Optional<NDArray> gradient = ModelParameters.gradient(parameter);
                if (gradient.isEmpty()) {
                    continue;
                }
                NDArray w = parameter.getArray();
                double decay = switch (settings.decay()) {
                    case COUPLED -> settings.weightDecay();
                    case DECOUPLED -> DECAY_MATRICES_ONLY.test(parameter) ? Math.max(0, settings.weightDecay()) : 0;
                };
                String key = w.getDevice() + "/" + w.getDataType() + "/" + decay;
                decayOf.put(key, decay);
                List<List<NDArray>> group = groups.computeIfAbsent(key,
                        k -> List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>()));
                group.get(0).add(w);
                group.get(1).add(gradient.get());
                group.get(2).add(moment(firstMoments, entry.getKey(), w));
                group.get(3).add(moment(secondMoments, entry.getKey(), w));
            }
            groups.forEach((key, g) -> FusedOps.adamStep(g.get(0), g.get(1), g.get(2), g.get(3), step, learningRate,
                    settings.beta1(), settings.beta2(), decayOf.get(key), settings.epsilon(),
                    settings.decay() == WeightDecay.DECOUPLED));
        }
    }

    private NDArray moment(Map<String, NDArray> moments, String name, NDArray like) {
        return moments.computeIfAbsent(name, n -> {
            NDArray zeros = stateManager.zeros(like.getShape(), like.getDataType(), like.getDevice());
            NDScope.unregister(zeros);
            return zeros;
        });
    }

    /** Moments of one parameter for tests and diagnostics: {@code [m, v]}, empty before its first update. */
    public Optional<float[][]> moments(String name) {
        NDArray m = firstMoments.get(name);
        if (m == null) {
            return Optional.empty();
        }
        return Optional.of(new float[][] {m.toFloatArray(), secondMoments.get(name).toFloatArray()});
    }

    /** Writes moments and the step to {@code file} (safetensors). */
    public void save(Path file) throws IOException {
        NDList list = new NDList();
        try (NDManager scratch = stateManager.newSubManager()) {
            for (Map.Entry<String, NDArray> e : firstMoments.entrySet()) {
                list.add(named(e.getValue().duplicate(), e.getKey() + ".exp_avg", scratch));
                list.add(named(secondMoments.get(e.getKey()).duplicate(), e.getKey() + ".exp_avg_sq", scratch));
            }
            // float64 holds every step count below 2^53 exactly and avoids integer dtype corner cases in the codec.
            list.add(named(scratch.create(new double[] {step}), STEP_KEY, scratch));
            try (OutputStream out = Files.newOutputStream(file)) {
                list.encode(out, NDList.Encoding.SAFETENSORS);
            }
        }
    }

    private static NDArray named(NDArray array, String name, NDManager manager) {
        array.attach(manager);
        array.setName(name);
        return array;
    }

    /**
     * Replaces the state with the one in {@code file}. Every stored moment must belong to a parameter of
     * {@code parameters} with the same shape; otherwise the checkpoint is for another model and loading it would
     * silently train with wrong moments.
     */
    public void load(Path file, ModelParameters parameters) throws IOException {
        Map<String, NDArray> m = new LinkedHashMap<>();
        Map<String, NDArray> v = new LinkedHashMap<>();
        long loadedStep = -1;
        try (InputStream in = Files.newInputStream(file)) {
            NDList list = NDList.decode(stateManager, in);
            for (NDArray a : list) {
                String name = a.getName();
                NDScope.unregister(a);
                if (STEP_KEY.equals(name)) {
                    loadedStep = (long) a.toType(DataType.FLOAT64, false).getDouble();
                    a.close();
                } else if (name.endsWith(".exp_avg_sq")) {
                    v.put(name.substring(0, name.length() - ".exp_avg_sq".length()), a);
                } else if (name.endsWith(".exp_avg")) {
                    m.put(name.substring(0, name.length() - ".exp_avg".length()), a);
                } else {
                    throw WorkbenchException.invalid(file + ": unexpected tensor '" + name + "'");
                }
            }
        }
        if (loadedStep < 0 || !m.keySet().equals(v.keySet())) {
            throw WorkbenchException.invalid(file + ": incomplete optimizer state (step or a moment missing)");
        }
        for (Map.Entry<String, NDArray> e : m.entrySet()) {
            Parameter p = parameters.all().get(e.getKey());
            if (p == null || !p.getArray().getShape().equals(e.getValue().getShape())) {
                throw WorkbenchException.invalid(file + ": optimizer state for '" + e.getKey()
                        + "' does not match the model (" + (p == null ? "no such parameter" : "shape "
                        + e.getValue().getShape() + " vs " + p.getArray().getShape()) + ")");
            }
        }
        clear();
        firstMoments.putAll(m);
        secondMoments.putAll(v);
        step = loadedStep;
    }

    private void clear() {
        firstMoments.values().forEach(NDArray::close);
        secondMoments.values().forEach(NDArray::close);
        firstMoments.clear();
        secondMoments.clear();
    }

    @Override
    public void close() {
        clear();
        stateManager.close();
    }
}
