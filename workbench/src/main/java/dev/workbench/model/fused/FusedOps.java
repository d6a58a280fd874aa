package dev.workbench.model.fused;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.LibUtils;
import dev.workbench.model.AttentionBias;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Fused kernels DJL does not expose (scaled dot-product attention, a fused AdamW step), from the workbench's own
 * libtorch extension ({@code libworkbench_fused.so}, built by {@code workbench native build} against the torch that
 * own-libtorch mode runs). Where the extension is absent (the bundled CPU natives: libtorch 2.7.1 ships no headers
 * to build it against) callers use their unfused ops; {@link #enabled()} is the explicit check they make.
 *
 * <p>The library is found through {@value #LIBRARY} (a system property, else the environment variable; own-libtorch
 * mode sets it when the extension for its torch version and flavour is built). It is loaded once per JVM, on first
 * use: {@code System.load} is process-wide, so the outcome is kept in a static holder rather than per instance.
 * {@value #SWITCH}{@code =off} (property or environment) keeps the unfused ops with the extension loaded, for side by
 * side comparisons.
 */
public final class FusedOps {
    /** The path of the extension library. */
    public static final String LIBRARY = "WORKBENCH_FUSED_LIBRARY";
    /** {@code off} disables the fused ops. */
    public static final String SWITCH = "WORKBENCH_FUSED";

    private FusedOps() {
    }

    /** Loaded at most once, on first use (class initialisation is thread-safe and lazy). */
    private static final class Loaded {
        static final Optional<String> ABSENCE = load();
    }

    /** Empty when the extension is loaded and usable; otherwise why not, in words. */
    public static Optional<String> absence() {
        return Loaded.ABSENCE;
    }

    /** The extension is loaded (regardless of {@value #SWITCH}). */
    public static boolean present() {
        return absence().isEmpty();
    }

    /** The fused ops are to be used: the extension is loaded and {@value #SWITCH} is not {@code off}. */
    public static boolean enabled() {
        return present() && !"off".equalsIgnoreCase(setting(SWITCH, System::getProperty, System::getenv));
    }

    /**
     * softmax(q k^T / sqrt(d) + bias) v as one fused kernel (at::scaled_dot_product_attention), recorded by autograd
     * like any op. q (B, H, T, d), k and v (B, H, S, d), {@code bias} an additive mask broadcastable to (B, H, T, S)
     * or null (the plain causal bias of {@link AttentionBias#causal} becomes the kernel's is_causal); {@code dropout}
     * is applied to the attention weights (0 outside training). Call only when
     * {@link #enabled()}.
     */
    public static NDArray scaledDotProductAttention(NDArray q, NDArray k, NDArray v, NDArray bias, float dropout) {
        PtNDArray query = pytorch(q, "q");
        // the plain causal bias over equal query and key lengths is the kernel's own is_causal (top-left aligned),
        // which skips the masked blocks instead of adding -1e9 to them
        int time = q.getShape().dimension() - 2;
        boolean causal = AttentionBias.isPlainCausal(bias) && q.getShape().get(time) == k.getShape().get(time);
        long mask = bias == null || causal ? 0 : pytorch(bias, "bias").getHandle();
        long out = FusedNative.scaledDotProductAttention(query.getHandle(), pytorch(k, "k").getHandle(),
                pytorch(v, "v").getHandle(), mask, causal, dropout, 0);
        return new PtNDArray(query.getManager(), out);
    }

    /**
     * One Adam step over a parameter group in one fused kernel (at::_fused_adamw_ when {@code decoupled}, else
     * at::_fused_adam_ with L2 decay), parameters and moments in place. {@code step} counts this update (1 first).
     */
    public static void adamStep(List<NDArray> parameters, List<NDArray> gradients, List<NDArray> firstMoments,
                                List<NDArray> secondMoments, long step, double learningRate, double beta1,
                                double beta2, double weightDecay, double epsilon, boolean decoupled) {
        FusedNative.fusedAdam(handles(parameters), handles(gradients), handles(firstMoments), handles(secondMoments),
                step, learningRate, beta1, beta2, weightDecay, epsilon, decoupled);
    }

    private static long[] handles(List<NDArray> arrays) {
        long[] h = new long[arrays.size()];
        for (int i = 0; i < h.length; i++) {
            h[i] = pytorch(arrays.get(i), "array " + i).getHandle();
        }
        return h;
    }

    private static PtNDArray pytorch(NDArray array, String what) {
        if (array instanceof PtNDArray pt) {
            return pt;
        }
        throw new IllegalArgumentException("fused ops take PyTorch arrays; " + what + " is a "
                + array.getClass().getName());
    }

    private static Optional<String> load() {
        String configured = setting(LIBRARY, System::getProperty, System::getenv);
        if (configured == null) {
            return Optional.of(LIBRARY + " is not set (own-libtorch mode sets it once `workbench native build` has"
                    + " built the extension for that torch from this workbench's source)");
        }
        // DJL first: its libtorch must be the one in the process before the extension links against it
        Engine.getEngine("PyTorch");
        Optional<String> mismatch = check(Path.of(configured), LibUtils.getVersion());
        if (mismatch.isPresent()) {
            return mismatch;
        }
        try {
            System.load(Path.of(configured).toAbsolutePath().toString());
        } catch (UnsatisfiedLinkError e) {
            return Optional.of(configured + " does not load: " + e.getMessage());
        }
        String built = FusedNative.torchVersion();
        return versionMatches(built, LibUtils.getVersion()) ? Optional.empty()
                : Optional.of(configured + " was compiled against torch " + built + " but DJL runs libtorch "
                        + LibUtils.getVersion() + " (rebuild: workbench native build --force)");
    }

    /**
     * Why {@code library} cannot serve the libtorch {@code engineVersion} DJL loaded, checked before loading it: it
     * must exist and sit in the folder {@code <version>-<flavor>} of that version (see the native home's layout), since
     * an extension linked against another libtorch would resolve its symbols against the wrong one.
     */
    static Optional<String> check(Path library, String engineVersion) {
        if (!Files.isRegularFile(library)) {
            return Optional.of(LIBRARY + "=" + library + ": no such file (workbench native build)");
        }
        Path folder = library.toAbsolutePath().getParent();
        String key = folder == null ? "" : folder.getFileName().toString();
        if (!versionMatches(key.contains("-") ? key.substring(0, key.indexOf('-')) : key, engineVersion)) {
            return Optional.of(LIBRARY + "=" + library + " is built for torch " + key + " but DJL runs libtorch "
                    + engineVersion + " (set " + LIBRARY + " to that version's build, or unset it)");
        }
        return Optional.empty();
    }

    /** 2.13.0 and 2.13.0+cpu are the same libtorch. */
    static boolean versionMatches(String a, String b) {
        return a != null && b != null && strip(a).equals(strip(b));
    }

    private static String strip(String version) {
        int plus = version.indexOf('+');
        return plus < 0 ? version : version.substring(0, plus);
    }

    public static String setting(String name, UnaryOperator<String> properties, UnaryOperator<String> environment) {
        String p = properties.apply(name);
        String value = p != null && !p.isBlank() ? p : environment.apply(name);
        return value == null || value.isBlank() ? null : value;
    }
}
