package dev.workbench.cli.torch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Own-libtorch mode: the one recipe-independent setting that makes the workbench run on a PyTorch the user already
 * has. {@code WORKBENCH_TORCH=DIR} (or {@code -Dworkbench.torch=DIR}, which wins) names the torch package folder; unset
 * means the bundled CPU natives. From it come DJL's own variables, set as system properties before any DJL class
 * loads: DJL 0.36 reads each with {@code Utils.getEnvOrSystemProperty}, environment first, so a {@code PYTORCH_*}
 * variable already in the environment would override them (doctor says so).
 */
public final class TorchSetting {
    public static final String ENV = "WORKBENCH_TORCH";
    public static final String PROPERTY = "workbench.torch";
    /** Test and plugin libraries of the pip wheel that DJL would otherwise load with every other .so in lib/. */
    static final String EXCLUSIONS = "libtorchbind_test.so,libjitbackend_test.so,libbackend_with_compiler.so,"
            + "libaoti_custom_ops.so,libtorch_python.so";
    /** The variables DJL reads; one of them in the environment beats the property set here. */
    public static final List<String> DJL_VARIABLES = List.of("PYTORCH_LIBRARY_PATH", "PYTORCH_VERSION",
            "PYTORCH_FLAVOR", "PYTORCH_LIBRARY_EXCLUSION", "ENGINE_CACHE_DIR");

    private TorchSetting() {
    }

    /** The configured torch folder, if any: the property, else the environment variable. */
    public static Optional<Path> configured(UnaryOperator<String> properties, UnaryOperator<String> environment) {
        String prop = properties.apply(PROPERTY);
        String value = prop != null && !prop.isBlank() ? prop : environment.apply(ENV);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(Path.of(value));
    }

    /**
     * The system properties that point DJL at this torch. The cache folder is the workbench's own, so that a bridge
     * built by {@code workbench native build} is found there and the prebuilt one is extracted there, never mixed
     * with the bundled 2.7.1 CPU natives in {@code ~/.djl.ai}.
     */
    public static Map<String, String> djlProperties(TorchCheck check, NativeHome home) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("PYTORCH_LIBRARY_PATH", check.lib().toString());
        p.put("PYTORCH_VERSION", check.version());
        p.put("PYTORCH_FLAVOR", check.flavor());
        p.put("PYTORCH_LIBRARY_EXCLUSION", EXCLUSIONS);
        p.put("ENGINE_CACHE_DIR", home.djlCache().toString());
        cudaRuntime(check).ifPresent(cudart -> p.put("jna.library.path", home.root().resolve("cudart").toString()));
        if (ExtensionBuild.current(home, check)) { // the workbench's fused ops (model.fused.FusedOps reads this name)
            p.put("WORKBENCH_FUSED_LIBRARY", home.extension(check.version(), check.flavor()).toString());
        }
        return p;
    }

    /**
     * DJL counts GPUs through JNA's {@code Native.load("cudart")}, which wants an unversioned {@code libcudart.so};
     * pip wheels ship only {@code nvidia/cuda_runtime/lib/libcudart.so.12}. Without a link doctor shows 0 GPUs.
     */
    static Optional<Path> cudaRuntime(TorchCheck check) {
        if (!check.flavor().startsWith("cu") || check.dir().getParent() == null) {
            return Optional.empty();
        }
        Path lib = check.dir().getParent().resolve("nvidia").resolve("cuda_runtime").resolve("lib");
        try (var files = Files.list(lib)) {
            return files.filter(f -> f.getFileName().toString().startsWith("libcudart.so")).sorted().findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Sets the properties in this JVM (main(), before DJL loads); links libcudart.so for JNA where needed. */
    public static void apply(TorchCheck check, NativeHome home) {
        Map<String, String> p = djlProperties(check, home);
        Optional<Path> cudart = cudaRuntime(check);
        if (cudart.isPresent()) {
            Path link = home.root().resolve("cudart").resolve("libcudart.so");
            try {
                Files.createDirectories(link.getParent());
                Files.deleteIfExists(link);
                Files.createSymbolicLink(link, cudart.get());
            } catch (IOException e) {
                System.err.println("workbench: cannot link " + link + " to " + cudart.get() + " (" + e.getMessage()
                        + "); DJL will see no GPU");
            }
        }
        p.forEach(System::setProperty);
    }

    /** The DJL variables already in the environment, which override what this setting hands DJL. */
    public static List<String> overriddenBy(UnaryOperator<String> environment) {
        return DJL_VARIABLES.stream().filter(v -> environment.apply(v) != null).toList();
    }
}
