package dev.workbench.cli.torch;

import dev.workbench.cli.torch.TorchCheck.Verdict;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an installed torch from its files alone (no Python, no loading): the version and CUDA release from
 * {@code version.py} of a pip/conda {@code torch} package or {@code build-version} of an unpacked libtorch, the
 * libraries under {@code lib/}, and the ELF header of {@code libtorch.so} (a library for another CPU cannot load).
 */
public final class TorchInspector {
    private static final Pattern VERSION = Pattern.compile("(?m)^__version__\\s*=\\s*['\"]([^'\"]+)['\"]");
    private static final Pattern CUDA = Pattern.compile("(?m)^cuda(?:\\s*:[^=]*)?=\\s*['\"]([0-9.]+)['\"]");
    private static final Pattern ROCM = Pattern.compile("(?m)^(?:hip|rocm)(?:\\s*:[^=]*)?=\\s*['\"]([^'\"]+)['\"]");
    private static final Pattern PLAIN_VERSION = Pattern.compile("(\\d+\\.\\d+\\.\\d+)(?:[.a-z0-9]*)?(?:\\+(.+))?");
    private static final int ELF_X86_64 = 62;
    private static final int ELF_AARCH64 = 183;

    private final NativeHome home;
    private final PrebuiltBridges prebuilt;

    public TorchInspector(NativeHome home, PrebuiltBridges prebuilt) {
        this.home = home;
        this.prebuilt = prebuilt;
    }

    /** The verdict for a folder given as the torch package, its {@code lib/}, or an unpacked libtorch. */
    public TorchCheck inspect(Path given) {
        Path dir = normalise(given.toAbsolutePath().normalize());
        String buildCmd = "workbench native build --torch " + dir + " --djl-source DJL_CHECKOUT";
        if (!Files.isDirectory(dir)) {
            return notUsable(dir, "", "", "no such folder", "give the folder of the torch package, e.g. the output of"
                    + " python3 -c 'import torch, os; print(os.path.dirname(torch.__file__))'");
        }
        if (!Files.isDirectory(dir.resolve("lib"))) {
            return notUsable(dir, "", "", "no lib/ folder: not a torch package or libtorch",
                    "give the folder that holds lib/ and version.py (the torch package), not " + dir.getFileName());
        }
        Optional<String[]> read = versionAndFlavor(dir);
        if (read.isEmpty()) {
            return notUsable(dir, "", "", "neither version.py nor build-version tells the torch version",
                    "reinstall torch (pip install torch) or use an official libtorch archive");
        }
        String version = read.get()[0];
        String flavor = read.get()[1];
        Path libtorch = dir.resolve("lib").resolve("libtorch.so");
        if (flavor.startsWith("rocm")) {
            return notUsable(dir, version, flavor, "a ROCm build: DJL 0.36's bridge supports CPU and CUDA only",
                    "install a CPU or CUDA torch (pip install torch --index-url .../whl/cpu or .../cu128)");
        }
        if (flavor.equals("cuda-unknown")) {
            return notUsable(dir, version, "", "lib/libtorch_cuda.so is there but neither version.py nor the version"
                    + " names the CUDA release, so the bridge flavour is unknown", "use a pip or conda torch, whose"
                    + " version.py names it, or an official libtorch archive (its build-version reads 2.x.y+cuXYZ)");
        }
        if (!Files.isRegularFile(libtorch)) {
            boolean mac = Files.exists(dir.resolve("lib").resolve("libtorch.dylib"));
            return notUsable(dir, version, flavor, mac ? "a macOS build (libtorch.dylib) on " + NativeHome.platform()
                    : "no lib/libtorch.so (a torch without its C++ library, or a partial install)",
                    "install the Linux torch wheel for this machine (pip install torch)");
        }
        String abi = architectureProblem(libtorch);
        if (!abi.isEmpty()) {
            return notUsable(dir, version, flavor, abi, "install the torch wheel built for " + NativeHome.platform());
        }
        if (prebuilt.covers(version, flavor)) {
            return new TorchCheck(dir, version, flavor, Verdict.PREBUILT_BRIDGE,
                    "DJL " + NativeHome.DJL_VERSION + " ships a " + flavor + " bridge for libtorch " + version, "");
        }
        Path bridge = home.bridge(version, flavor);
        if (Files.isRegularFile(bridge)) {
            return new TorchCheck(dir, version, flavor, Verdict.BUILT_BRIDGE, "bridge " + bridge, "");
        }
        String why = prebuilt.torchVersion().isEmpty() ? "no prebuilt bridge on the classpath"
                : "DJL's prebuilt bridges are for libtorch " + prebuilt.torchVersion() + " (cpu, cu128) and a bridge"
                        + " built for another version fails at the first tensor";
        return new TorchCheck(dir, version, flavor, Verdict.NEEDS_BUILD, why + "; no bridge built yet at " + bridge,
                buildCmd + " (DJL_CHECKOUT: git clone -b v" + NativeHome.DJL_VERSION
                        + " https://github.com/deepjavalibrary/djl), or pip install torch==" + prebuilt.torchVersion());
    }

    private static TorchCheck notUsable(Path dir, String version, String flavor, String reason, String fix) {
        return new TorchCheck(dir, version, flavor, Verdict.NOT_USABLE, reason, fix);
    }

    /** {@code torch/lib} and {@code torch/lib/libtorch.so} both mean {@code torch}. */
    private static Path normalise(Path dir) {
        if (Files.isRegularFile(dir) && dir.getParent() != null) {
            dir = dir.getParent();
        }
        Path parent = dir.getParent();
        if (dir.getFileName() != null && dir.getFileName().toString().equals("lib") && parent != null
                && (Files.exists(parent.resolve("version.py")) || Files.exists(parent.resolve("build-version")))) {
            return parent;
        }
        return dir;
    }

    /** {version, flavor}: flavour cpu, cuXYZ (from the CUDA release, e.g. 12.8 gives cu128) or rocm. */
    static Optional<String[]> versionAndFlavor(Path dir) {
        try {
            Path versionPy = dir.resolve("version.py");
            if (Files.isRegularFile(versionPy)) {
                String text = Files.readString(versionPy);
                Matcher v = VERSION.matcher(text);
                if (!v.find()) {
                    return Optional.empty();
                }
                Matcher plain = PLAIN_VERSION.matcher(v.group(1));
                if (!plain.matches()) {
                    return Optional.empty();
                }
                Matcher cuda = CUDA.matcher(text);
                Matcher rocm = ROCM.matcher(text);
                String flavor = cuda.find() ? "cu" + cuda.group(1).replace(".", "")
                        : rocm.find() ? "rocm" : flavorFromLocal(plain.group(2), dir);
                return Optional.of(new String[] {plain.group(1), flavor});
            }
            Path buildVersion = dir.resolve("build-version"); // libtorch archives: "2.7.1+cu128"
            if (Files.isRegularFile(buildVersion)) {
                Matcher plain = PLAIN_VERSION.matcher(Files.readString(buildVersion).trim());
                return plain.matches() ? Optional.of(new String[] {plain.group(1), flavorFromLocal(plain.group(2), dir)})
                        : Optional.empty();
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The local part of a version ({@code +cpu}, {@code +cu128}), else the libraries: libtorch_cuda means CUDA. */
    private static String flavorFromLocal(String local, Path dir) {
        if (local != null && (local.equals("cpu") || local.matches("cu\\d+") || local.startsWith("rocm"))) {
            return local.startsWith("rocm") ? "rocm" : local;
        }
        return Files.exists(dir.resolve("lib").resolve("libtorch_cuda.so")) ? "cuda-unknown" : "cpu";
    }

    /** Empty when libtorch.so is an ELF library for this JVM's CPU, else why not. */
    static String architectureProblem(Path libtorch) {
        byte[] head = new byte[20];
        try (InputStream in = Files.newInputStream(libtorch)) {
            if (in.readNBytes(head, 0, head.length) < head.length || head[0] != 0x7f || head[1] != 'E'
                    || head[2] != 'L' || head[3] != 'F') {
                return "lib/libtorch.so is not an ELF shared library";
            }
        } catch (IOException e) {
            return "cannot read lib/libtorch.so (" + e.getMessage() + ")";
        }
        if (head[4] != 2) {
            return "lib/libtorch.so is a 32-bit library";
        }
        int machine = (head[18] & 0xff) | (head[19] & 0xff) << 8;
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        int want = arch.equals("aarch64") ? ELF_AARCH64 : ELF_X86_64;
        if (machine != want) {
            return "lib/libtorch.so is built for " + (machine == ELF_AARCH64 ? "aarch64" : machine == ELF_X86_64
                    ? "x86_64" : "ELF machine " + machine) + " but this JVM runs on " + arch;
        }
        return "";
    }
}
