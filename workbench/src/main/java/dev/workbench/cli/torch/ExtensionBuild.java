package dev.workbench.cli.torch;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Compiles the workbench's own libtorch extension ({@code libworkbench_fused.so}: scaled_dot_product_attention and a
 * fused AdamW on DJL's tensor handles, see {@code dev.workbench.model.fused.FusedOps}) against an installed torch. Its
 * C++ source and CMake file ship inside the jar ({@value #SOURCE}), so no checkout is needed: they are copied to the
 * build folder, configured with the torch's {@code share/cmake} and built with the same toolchain as DJL's bridge
 * ({@link BridgeBuild#toolchainProblems}, the same refusals). The result goes to {@link NativeHome#extension}, keyed
 * by torch version and flavour, where own-libtorch mode finds it.
 */
public final class ExtensionBuild {
    static final String SOURCE = "/dev/workbench/native/fused/";
    static final List<String> FILES = List.of("CMakeLists.txt", "workbench_fused.cc");

    private final TorchCheck torch;
    private final NativeHome home;
    private final Path javaHome;
    private final BridgeBuild tools;

    public ExtensionBuild(TorchCheck torch, NativeHome home, Path javaHome, String searchPath) {
        this.torch = torch;
        this.home = home;
        this.javaHome = javaHome;
        // only its PATH lookup is used: the bridge build's source folder is irrelevant here
        this.tools = new BridgeBuild(Path.of("."), torch, home, javaHome, searchPath);
    }

    /** Every reason the build cannot start, all at once, each with what to do; empty when it can. */
    public List<String> problems() {
        List<String> p = new ArrayList<>();
        if (torch.verdict() == TorchCheck.Verdict.NOT_USABLE) {
            p.add("torch " + torch.describe());
        }
        for (String file : FILES) {
            if (ExtensionBuild.class.getResource(SOURCE + file) == null) {
                p.add("this workbench jar has no " + SOURCE + file + " (rebuild it with mvn package)");
            }
        }
        p.addAll(BridgeBuild.toolchainProblems(torch, javaHome, tools::which));
        return p;
    }

    /** Whether the extension for this torch is built from this jar's source (see {@link #current}). */
    public boolean built() {
        return current(home, torch);
    }

    /**
     * Whether {@code home} holds the extension for this torch built from the C++ source in this jar: the note beside
     * the library records the source's SHA-256, so a workbench upgrade with changed native code rebuilds it instead
     * of loading a library that lacks the functions the new Java side calls.
     */
    public static boolean current(NativeHome home, TorchCheck torch) {
        Path library = home.extension(torch.version(), torch.flavor());
        Path note = library.resolveSibling(BridgeBuild.NOTE);
        try {
            return Files.isRegularFile(library) && Files.isRegularFile(note)
                    && Files.readAllLines(note).contains(sourceLine());
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code source <sha-256 of the C++ source files in this jar>}. */
    static String sourceLine() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String file : FILES) {
                try (InputStream in = ExtensionBuild.class.getResourceAsStream(SOURCE + file)) {
                    if (in != null) {
                        sha.update(in.readAllBytes());
                    }
                }
            }
            return "source " + HexFormat.of().formatHex(sha.digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot read the extension source in the jar", e);
        }
    }

    /** Runs the build (call only when {@link #problems()} is empty); returns the installed library. */
    public Path run(int jobs, PrintWriter out) throws IOException, InterruptedException {
        Path work = home.buildDir(torch.version(), torch.flavor()).resolve("fused");
        Path source = work.resolve("src");
        Path cmakeDir = work.resolve("cmake");
        Files.createDirectories(source);
        for (String file : FILES) {
            try (InputStream in = ExtensionBuild.class.getResourceAsStream(SOURCE + file)) {
                Files.copy(Optional.ofNullable(in).orElseThrow(() -> new IOException("no " + SOURCE + file)),
                        source.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Path log = work.resolve("build.log");
        Files.deleteIfExists(log);
        String cmake = tools.which("cmake").orElseThrow().toString();
        List<String> configure = new ArrayList<>(List.of(cmake, "-S", source.toString(), "-B", cmakeDir.toString(),
                "-DCMAKE_BUILD_TYPE=Release",
                "-DCMAKE_PREFIX_PATH=" + torch.dir().resolve("share").resolve("cmake"),
                "-DCMAKE_CXX_COMPILER=" + tools.which("g++").orElseThrow(),
                "-DJAVA_HOME=" + javaHome));
        BridgeBuild.step("extension: configure (cmake)", configure, log, out);
        BridgeBuild.step("extension: compile (" + jobs + " jobs)",
                List.of(cmake, "--build", cmakeDir.toString(), "-j", String.valueOf(jobs)), log, out);
        return BridgeBuild.install(cmakeDir.resolve("libworkbench_fused.so"),
                home.extension(torch.version(), torch.flavor()), log,
                "torch " + torch.version() + " " + torch.flavor() + " at " + torch.dir() + "\n" + sourceLine());
    }
}
