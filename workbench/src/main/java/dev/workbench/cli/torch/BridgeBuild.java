package dev.workbench.cli.torch;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Compiles DJL's JNI bridge ({@code libdjl_torch.so}) from DJL's own source against an installed torch, the route
 * verified in the project's notes: DJL {@value NativeHome#DJL_VERSION}'s {@code engines/pytorch/pytorch-native} builds
 * with its CMake file and g++ against torch 2.13.0+cpu with no patches. The workbench vendors none of DJL's source:
 * the user brings a checkout at tag v{@value NativeHome#DJL_VERSION}. Three steps, each a tool the user has:
 * {@code javac -h} writes the JNI header DJL's Gradle build would (from {@code PyTorchLibrary.java}), CMake configures
 * against the torch's {@code share/cmake}, and the built library is copied to where DJL looks for it
 * ({@link NativeHome#bridge}). Everything that can be checked is checked before anything is written.
 */
public final class BridgeBuild {
    static final String NATIVE = "engines/pytorch/pytorch-native";
    /** The note written beside a built library: what it was built from, and when. */
    static final String NOTE = "built-by-workbench.txt";
    static final String LIBRARY_JAVA = "engines/pytorch/pytorch-engine/src/main/java/ai/djl/pytorch/jni/PyTorchLibrary.java";

    private final Path djlSource;
    private final TorchCheck torch;
    private final NativeHome home;
    private final Path javaHome;
    private final String searchPath;

    /** {@code searchPath} is the PATH in which cmake, g++ (and nvcc for CUDA) are looked up. */
    public BridgeBuild(Path djlSource, TorchCheck torch, NativeHome home, Path javaHome, String searchPath) {
        this.djlSource = djlSource.toAbsolutePath().normalize();
        this.torch = torch;
        this.home = home;
        this.javaHome = javaHome;
        this.searchPath = searchPath == null ? "" : searchPath;
    }

    /** Every reason the build cannot start, all at once, each with what to do; empty when it can. */
    public List<String> problems() {
        List<String> p = new ArrayList<>();
        if (torch.verdict() == TorchCheck.Verdict.NOT_USABLE) {
            p.add("torch " + torch.describe());
        }
        if (!Files.isDirectory(djlSource)) {
            p.add("--djl-source " + djlSource + ": no such folder (git clone -b v" + NativeHome.DJL_VERSION
                    + " https://github.com/deepjavalibrary/djl, or pass --download)");
        } else {
            for (String file : List.of(NATIVE + "/CMakeLists.txt", NATIVE + "/src/main/native", LIBRARY_JAVA,
                    "api/src/main/native/djl/utils.h")) {
                if (!Files.exists(djlSource.resolve(file))) {
                    p.add("--djl-source " + djlSource + ": no " + file + " (not a DJL checkout, or a partial one)");
                }
            }
            djlVersionProblem().ifPresent(p::add);
        }
        p.addAll(toolchainProblems(torch, javaHome, this::which));
        return p;
    }

    /**
     * What any build against {@code torch} needs besides a source: the torch's C++ headers and CMake files, cmake and
     * g++ (nvcc for a CUDA torch) found by {@code which}, and a JDK's JNI headers and compiler. Shared with
     * {@link ExtensionBuild}, whose refusals are the bridge's.
     */
    static List<String> toolchainProblems(TorchCheck torch, Path javaHome,
                                          java.util.function.Function<String, Optional<Path>> which) {
        List<String> p = new ArrayList<>();
        if (torch.verdict() != TorchCheck.Verdict.NOT_USABLE) {
            for (String file : List.of("include/torch/csrc/api/include/torch/torch.h",
                    "share/cmake/Torch/TorchConfig.cmake")) {
                if (!Files.isRegularFile(torch.dir().resolve(file))) {
                    p.add("torch at " + torch.dir() + " has no " + file + ": its C++ headers/CMake files are"
                            + " missing (pip wheels ship them; a conda or distro package may need torch's -dev part)");
                }
            }
        }
        for (String tool : torch.flavor().startsWith("cu") ? List.of("cmake", "g++", "nvcc") : List.of("cmake", "g++")) {
            if (which.apply(tool).isEmpty()) {
                p.add(tool + " is not on PATH (install it: apt-get install " + switch (tool) {
                    case "g++" -> "g++";
                    case "nvcc" -> "nvidia-cuda-toolkit, or put the CUDA toolkit's bin/ on PATH; torch's CMake"
                            + " files look for it when the torch is a CUDA build";
                    default -> "cmake";
                } + ")");
            }
        }
        if (!Files.isRegularFile(javaHome.resolve("include").resolve("jni.h"))) {
            p.add("no JNI headers at " + javaHome.resolve("include") + ": run with a JDK (not a JRE)");
        }
        if (ToolProvider.getSystemJavaCompiler() == null) {
            p.add("this Java has no compiler (javac), needed for the JNI header: run with a JDK 17+");
        }
        return p;
    }

    /** The checkout must be DJL's tag v0.36.0: a bridge from other sources does not match the Java side here. */
    private Optional<String> djlVersionProblem() {
        Path versions = djlSource.resolve("gradle").resolve("libs.versions.toml");
        try {
            if (!Files.isRegularFile(versions)) {
                return Optional.of("--djl-source " + djlSource + ": no gradle/libs.versions.toml to read DJL's version"
                        + " from (check out tag v" + NativeHome.DJL_VERSION + ")");
            }
            String found = Files.readAllLines(versions).stream().map(String::trim)
                    .filter(l -> l.startsWith("djl ") || l.startsWith("djl=")).findFirst()
                    .map(l -> l.replaceAll("^djl\\s*=\\s*\"?([^\"]*)\"?.*$", "$1")).orElse("?");
            return found.equals(NativeHome.DJL_VERSION) ? Optional.empty()
                    : Optional.of("--djl-source " + djlSource + " is DJL " + found + ", this workbench runs DJL "
                            + NativeHome.DJL_VERSION + " (git -C " + djlSource + " checkout v" + NativeHome.DJL_VERSION
                            + ")");
        } catch (IOException e) {
            return Optional.of("cannot read " + versions + " (" + e.getMessage() + ")");
        }
    }

    public boolean gitMissing() {
        return which("git").isEmpty();
    }

    Optional<Path> which(String tool) {
        for (String dir : searchPath.split(File.pathSeparator)) {
            Path candidate = dir.isEmpty() ? null : Path.of(dir, tool);
            if (candidate != null && Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Runs the build (call only when {@link #problems()} is empty); returns the installed bridge. */
    public Path run(int jobs, PrintWriter out) throws IOException, InterruptedException {
        Path work = home.buildDir(torch.version(), torch.flavor());
        Path include = work.resolve("include");
        Path classes = work.resolve("classes");
        Path cmakeDir = work.resolve("cmake");
        Files.createDirectories(include);
        Files.createDirectories(classes);
        Path log = work.resolve("build.log");
        Files.deleteIfExists(log);

        out.println("native build: JNI header from " + LIBRARY_JAVA);
        out.flush();
        ByteArrayOutputStream javacOut = new ByteArrayOutputStream();
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, javacOut, javacOut, "-h", include.toString(), "-d", classes.toString(),
                djlSource.resolve(LIBRARY_JAVA).toString());
        if (rc != 0) {
            throw new IOException("javac -h failed: " + javacOut.toString(StandardCharsets.UTF_8));
        }

        Path t = torch.dir();
        List<String> configure = new ArrayList<>(List.of(which("cmake").orElseThrow().toString(),
                "-S", djlSource.resolve(NATIVE).toString(), "-B", cmakeDir.toString(),
                "-DCMAKE_BUILD_TYPE=Release",
                "-DCMAKE_PREFIX_PATH=" + t.resolve("share").resolve("cmake"),
                "-DCMAKE_CXX_COMPILER=" + which("g++").orElseThrow(),
                // DJL's CMake file expects the header in its own build/include; an include flag keeps the
                // user's checkout untouched
                "-DCMAKE_CXX_FLAGS=-I" + include,
                "-DJAVA_INCLUDE_PATH=" + javaHome.resolve("include"),
                "-DJAVA_INCLUDE_PATH2=" + javaHome.resolve("include").resolve("linux"),
                "-DJAVA_JVM_LIBRARY=NotNeeded", "-DJAVA_AWT_LIBRARY=NotNeeded", "-DJAVA_AWT_INCLUDE_PATH=NotNeeded",
                // pin the torch's own libraries: find_library() would prefer a system libtorch if there were one
                "-DTORCH_LIBRARY=" + t.resolve("lib").resolve("libtorch.so"),
                "-Dc10_LIBRARY=" + t.resolve("lib").resolve("libc10.so")));
        if (torch.flavor().startsWith("cu")) {
            configure.add("-DUSE_CUDA=1");
        }
        step("configure (cmake)", configure, log, out);
        step("compile (" + jobs + " jobs; minutes: every file includes torch's headers)",
                List.of(which("cmake").orElseThrow().toString(), "--build", cmakeDir.toString(), "-j",
                        String.valueOf(jobs)), log, out);
        return install(cmakeDir.resolve("libdjl_torch.so"), home.bridge(torch.version(), torch.flavor()), log,
                "torch " + torch.version() + " " + torch.flavor() + " at " + t + "\nDJL source " + djlSource);
    }

    /**
     * Moves a built library to {@code target} atomically (a JVM starting meanwhile sees the old file or the new one,
     * never half of one) and notes beside it what it was built from; shared with {@link ExtensionBuild}.
     */
    static Path install(Path built, Path target, Path log, String note) throws IOException {
        if (!Files.isRegularFile(built)) {
            throw new IOException("the build finished without " + built + " (see " + log + ")");
        }
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), "build", ".tmp");
        Files.copy(built, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.writeString(target.resolveSibling(NOTE), note + "\nbuilt " + Instant.now() + "\n");
        return target;
    }

    static void step(String what, List<String> command, Path log, PrintWriter out)
            throws IOException, InterruptedException {
        out.println("native build: " + what);
        out.flush();
        Files.writeString(log, "$ " + String.join(" ", command) + "\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        int rc = p.waitFor();
        if (rc != 0) {
            List<String> lines = Files.readAllLines(log);
            throw new IOException(what + " failed with exit code " + rc + "; the end of " + log + ":\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
        }
    }
}
