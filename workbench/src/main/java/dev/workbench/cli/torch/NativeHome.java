package dev.workbench.cli.torch;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Where the workbench keeps what it builds against a user's torch: {@code -Dworkbench.native.dir}, else
 * {@code WORKBENCH_NATIVE_DIR}, else {@code ~/.workbench/native}. A bridge depends on the machine's torch, not on a
 * checkout, so it lives in the user's home rather than in the repository. Inside, {@code djl/} is laid out as DJL's
 * engine cache ({@code pytorch/<version>-<flavor>-<platform>/<djl>-libdjl_torch.so}) so that pointing
 * {@code ENGINE_CACHE_DIR} at it is all DJL needs to find a built bridge.
 */
public record NativeHome(Path root) {
    /** DJL's API version; its bridge file names carry it ({@code 0.36.0-libdjl_torch.so}). */
    public static final String DJL_VERSION = "0.36.0";

    public static NativeHome resolve() {
        String prop = System.getProperty("workbench.native.dir");
        if (prop != null && !prop.isBlank()) {
            return new NativeHome(Path.of(prop).toAbsolutePath());
        }
        String env = System.getenv("WORKBENCH_NATIVE_DIR");
        if (env != null && !env.isBlank()) {
            return new NativeHome(Path.of(env).toAbsolutePath());
        }
        return new NativeHome(Path.of(System.getProperty("user.home"), ".workbench", "native"));
    }

    /** The folder handed to DJL as {@code ENGINE_CACHE_DIR} in own-libtorch mode. */
    public Path djlCache() {
        return root.resolve("djl");
    }

    /** Where DJL looks for the bridge of this torch version and flavour (LibUtils.findJniLibrary, DJL 0.36). */
    public Path bridge(String version, String flavor) {
        return djlCache().resolve("pytorch").resolve(version + "-" + flavor + "-" + platform())
                .resolve(DJL_VERSION + "-libdjl_torch.so");
    }

    /**
     * The workbench's own libtorch extension built for this torch ({@code ext/<version>-<flavor>/}); the folder name
     * is what the loader checks against the libtorch DJL runs.
     */
    public Path extension(String version, String flavor) {
        return root.resolve("ext").resolve(version + "-" + flavor).resolve("libworkbench_fused.so");
    }

    /** Scratch folder of a bridge build for this torch (cmake's build tree, generated JNI header). */
    public Path buildDir(String version, String flavor) {
        return root.resolve("build").resolve(version + "-" + flavor);
    }

    /** DJL's platform classifier for this JVM, e.g. {@code linux-x86_64}. */
    public static String platform() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String osName = os.startsWith("mac") ? "osx" : os.startsWith("win") ? "win" : "linux";
        String archName = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : arch;
        return osName + "-" + archName;
    }
}
