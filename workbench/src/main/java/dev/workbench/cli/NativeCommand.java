package dev.workbench.cli;

import dev.workbench.cli.torch.BridgeBuild;
import dev.workbench.cli.torch.ExtensionBuild;
import dev.workbench.cli.torch.NativeHome;
import dev.workbench.cli.torch.PrebuiltBridges;
import dev.workbench.cli.torch.TorchCheck;
import dev.workbench.cli.torch.TorchDiscovery;
import dev.workbench.cli.torch.TorchInspector;
import dev.workbench.cli.torch.TorchSetting;
import dev.workbench.recipe.WorkbenchException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** Native parts built against the user's own torch (own-libtorch mode, {@code WORKBENCH_TORCH}). */
@Command(name = "native", mixinStandardHelpOptions = true, subcommands = {NativeCommand.Build.class, NativeCommand.Env.class},
        description = "Build what own-libtorch mode needs for a torch version DJL has no prebuilt bridge for.")
public final class NativeCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "env", mixinStandardHelpOptions = true,
            description = "Print, as shell exports, the variables own-libtorch mode hands DJL for a torch (default: "
                    + TorchSetting.ENV + "), for other JVMs that run DJL (a test runner, an IDE).")
    static final class Env implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--torch", paramLabel = "DIR", description = "The torch (default: " + TorchSetting.ENV + ").")
        Path torch;

        @Override
        public Integer call() {
            Path dir = torch != null ? torch : TorchSetting.configured(System::getProperty, System::getenv)
                    .orElseThrow(() -> WorkbenchException.invalid("give --torch DIR or set " + TorchSetting.ENV));
            NativeHome home = NativeHome.resolve();
            TorchCheck check = new TorchInspector(home, PrebuiltBridges.onClasspath()).inspect(dir);
            if (!check.usableNow()) {
                throw WorkbenchException.environment("torch " + check.describe());
            }
            PrintWriter out = spec.commandLine().getOut();
            TorchSetting.djlProperties(check, home).forEach((k, v) -> {
                if (k.equals("jna.library.path")) {
                    out.println("# JNA reads a system property, not the environment: -Djna.library.path=" + v);
                } else {
                    out.println("export " + k + "='" + v + "'");
                }
            });
            return 0;
        }
    }

    @Command(name = "build", mixinStandardHelpOptions = true,
            description = "Compile DJL's JNI bridge (libdjl_torch.so) from DJL's own source (tag v"
                    + NativeHome.DJL_VERSION + ") with cmake and g++ against an installed torch, then the workbench's"
                    + " own libtorch extension (fused scaled_dot_product_attention and AdamW; its source ships in the"
                    + " jar), and cache both where own-libtorch mode finds them (keyed by torch version and flavour).")
    static final class Build implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--djl-source", paramLabel = "DIR", description = "A checkout of "
                + "github.com/deepjavalibrary/djl at tag v" + NativeHome.DJL_VERSION + ".")
        Path djlSource;

        @Option(names = "--download", description = "Clone DJL's source (tag v" + NativeHome.DJL_VERSION
                + ") into the native folder with git first: the only network access, and only on this flag.")
        boolean download;

        @Option(names = "--torch", paramLabel = "DIR", description = "The torch to build against (default: "
                + TorchSetting.ENV + ", else the torch python3 imports).")
        Path torch;

        @Option(names = "--jobs", paramLabel = "N", description = "Parallel compile jobs (default: the CPU count).")
        int jobs = Runtime.getRuntime().availableProcessors();

        @Option(names = "--force", description = "Build even when a bridge and extension exist (prebuilt or built"
                + " before).")
        boolean force;

        @Option(names = "--no-extension", description = "Build only DJL's bridge, not the workbench's libtorch"
                + " extension (fused attention and AdamW).")
        boolean noExtension;

        @Override
        public Integer call() throws IOException, InterruptedException {
            PrintWriter out = spec.commandLine().getOut();
            NativeHome home = NativeHome.resolve();
            Path torchDir = torch != null ? torch
                    : TorchSetting.configured(System::getProperty, System::getenv).orElse(null);
            if (torchDir == null) {
                TorchDiscovery.Found found = TorchDiscovery.fromPython("python3", 60);
                if (found.dir() == null) {
                    throw WorkbenchException.environment("no torch to build against: pass --torch DIR or set "
                            + TorchSetting.ENV + " (" + found.note() + ")");
                }
                torchDir = found.dir();
            }
            TorchCheck check = new TorchInspector(home, PrebuiltBridges.onClasspath()).inspect(torchDir);
            Path javaHome = Path.of(System.getProperty("java.home"));
            ExtensionBuild extension = new ExtensionBuild(check, home, javaHome, System.getenv("PATH"));
            boolean bridgeNeeded = force || !check.usableNow();
            boolean extensionNeeded = !noExtension && (force || !extension.built());
            if (!bridgeNeeded && !extensionNeeded) {
                out.println("native build: nothing to do, torch " + check.describe());
                if (!noExtension) {
                    out.println("native build: extension " + home.extension(check.version(), check.flavor()));
                }
                out.println("use it with " + TorchSetting.ENV + "=" + check.dir() + " (--force rebuilds)");
                return 0;
            }
            List<String> problems = new ArrayList<>();
            Path source = djlSource != null ? djlSource : home.root().resolve("djl-source-" + NativeHome.DJL_VERSION);
            BridgeBuild build = new BridgeBuild(source, check, home, javaHome, System.getenv("PATH"));
            if (bridgeNeeded) {
                if (djlSource == null && !download) {
                    problems.add("give --djl-source DIR (a checkout of DJL at tag v" + NativeHome.DJL_VERSION
                            + ") or --download");
                } else if (djlSource != null && download) {
                    problems.add("give --djl-source or --download, not both");
                }
                problems.addAll(build.problems().stream()
                        .filter(p -> !(download && p.startsWith("--djl-source " + source.toAbsolutePath().normalize())))
                        .toList());
                if (download && !Files.isDirectory(source) && build.gitMissing()) {
                    problems.add("git is not on PATH, needed by --download");
                }
            }
            if (extensionNeeded) {
                // the toolchain refusals are shared: list each once
                extension.problems().stream().filter(p -> !problems.contains(p)).forEach(problems::add);
            }
            if (!problems.isEmpty()) {
                throw WorkbenchException.environment("cannot build " + (bridgeNeeded ? "the bridge" : "the extension")
                        + ":\n  - " + String.join("\n  - ", problems));
            }
            if (bridgeNeeded) {
                if (download && !Files.isDirectory(source)) {
                    cloneDjl(source, out);
                    List<String> after = build.problems();
                    if (!after.isEmpty()) {
                        throw WorkbenchException.environment("cannot build the bridge:\n  - "
                                + String.join("\n  - ", after));
                    }
                }
                try {
                    out.println("native build: " + build.run(Math.max(1, jobs), out));
                } catch (IOException e) {
                    throw WorkbenchException.environment("the bridge build failed: " + e.getMessage());
                }
            }
            if (extensionNeeded) {
                try {
                    out.println("native build: extension " + extension.run(Math.max(1, jobs), out));
                } catch (IOException e) {
                    throw WorkbenchException.environment("the extension build failed: " + e.getMessage());
                }
            }
            out.println("use it with " + TorchSetting.ENV + "=" + check.dir() + " (then `workbench doctor`)");
            return 0;
        }

        private static void cloneDjl(Path into, PrintWriter out) throws IOException, InterruptedException {
            out.println("native build: git clone DJL v" + NativeHome.DJL_VERSION + " into " + into);
            out.flush();
            Files.createDirectories(into.getParent());
            Process p = new ProcessBuilder("git", "clone", "--depth", "1", "-b", "v" + NativeHome.DJL_VERSION,
                    "https://github.com/deepjavalibrary/djl", into.toString()).inheritIO().start();
            if (p.waitFor() != 0) {
                throw WorkbenchException.environment("git clone of DJL failed (exit " + p.exitValue() + ")");
            }
        }
    }
}
