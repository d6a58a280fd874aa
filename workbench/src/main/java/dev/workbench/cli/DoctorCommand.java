package dev.workbench.cli;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.pytorch.jni.LibUtils;
import dev.workbench.cli.torch.NativeHome;
import dev.workbench.cli.torch.PrebuiltBridges;
import dev.workbench.cli.torch.TorchCheck;
import dev.workbench.cli.torch.TorchDiscovery;
import dev.workbench.cli.torch.TorchInspector;
import dev.workbench.cli.torch.TorchSetting;
import dev.workbench.model.ModelFamilies;
import dev.workbench.model.ModelFamily;
import dev.workbench.model.fused.FusedOps;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

/** What this machine offers the workbench, and whether the PyTorch natives load (exit code 3 when they do not). */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Check Java, DJL, the PyTorch natives, GPUs, threads, disk and the offline flags; list the "
                + "model families this build loads.")
public final class DoctorCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--torch", paramLabel = "DIR", description = "An installed torch to check (the torch package "
            + "folder, its lib/, or an unpacked libtorch); repeatable.")
    List<Path> torches = new ArrayList<>();

    @Option(names = "--python", paramLabel = "CMD", defaultValue = "python3", description = "The Python whose torch "
            + "to check (`none` skips it; default: ${DEFAULT-VALUE}).")
    String python;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        row(out, "offline", Offline.inEffect()
                ? "yes (DJL offline mode and OPT_OUT_TRACKING in effect; nothing is downloaded)"
                : "NO: set DJL_OFFLINE=true and OPT_OUT_TRACKING=true (bin/workbench does)");
        row(out, "cpu threads", Runtime.getRuntime().availableProcessors() + " available to the JVM");
        row(out, "memory", String.format(Locale.ROOT, "%.1f GiB max heap",
                Runtime.getRuntime().maxMemory() / (double) (1L << 30)));
        row(out, "disk", freeDisk());
        if (!torchRows(out)) {
            out.flush();
            throw new WorkbenchException(WorkbenchException.Kind.ENVIRONMENT, TorchSetting.ENV + " names a torch"
                    + " that cannot be used (see the torch rows above for the fix); the natives were not loaded.");
        }
        for (ModelFamily family : ModelFamilies.ALL) { // what base_model.hf and checkpoints can be
            row(out, "model family", family.name() + ": " + (family.hfModelTypes().isEmpty() ? "no Hugging Face import"
                    : family.hfDescription()) + (family == ModelFamilies.presets() ? "; presets" : ""));
        }
        Map<String, String> versions;
        try {
            versions = Versions.collect(); // loads the engine, and with it the native library
        } catch (Throwable t) { // UnsatisfiedLinkError, EngineException: report, then fail with exit code 3
            row(out, "java", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.version"));
            row(out, "djl", Engine.getDjlVersion());
            row(out, "natives", "FAILED: " + t);
            out.flush();
            throw new WorkbenchException(WorkbenchException.Kind.ENVIRONMENT, "the PyTorch native library did not"
                    + " load (" + t.getMessage() + "). The CPU natives come from"
                    + " ai.djl.pytorch:pytorch-native-cpu:2.7.1:linux-x86_64 in target/lib (rebuild with"
                    + " `mvn -DskipTests package`), or, in own-libtorch mode (" + TorchSetting.ENV + "=DIR), from"
                    + " that torch with a bridge for its version (see the torch rows); offline mode keeps DJL from"
                    + " downloading them.", t);
        }
        versions.forEach((name, version) -> row(out, name, version));
        Engine engine = Engine.getInstance();
        row(out, "natives", "loaded: libtorch " + LibUtils.getVersion() + " from " + LibUtils.getLibtorchPath());
        row(out, "gpus", engine.getGpuCount() + " seen by " + engine.getEngineName() + "; default device "
                + engine.defaultDevice());
        row(out, "fused ops", FusedOps.absence().map(why -> "absent, unfused attention and Adam: " + why)
                .orElse("loaded (scaled_dot_product_attention, fused AdamW) from "
                        + FusedOps.setting(FusedOps.LIBRARY, System::getProperty, System::getenv)
                        + (FusedOps.enabled() ? "" : "; switched off by " + FusedOps.SWITCH + "=off")));
        row(out, "torch threads", JniUtils.getNumThreads() + " intra-op, " + JniUtils.getNumInteropThreads()
                + " inter-op");
        out.flush();
        return 0;
    }

    /**
     * The torch mode and a verdict for every torch found (the configured one, each --torch, the one python imports);
     * false when the configured torch cannot be used, so the natives must not be loaded.
     */
    private boolean torchRows(PrintWriter out) {
        NativeHome home = NativeHome.resolve();
        TorchInspector inspector = new TorchInspector(home, PrebuiltBridges.onClasspath());
        Optional<Path> configured = TorchSetting.configured(System::getProperty, System::getenv);
        Set<Path> seen = new LinkedHashSet<>();
        boolean usable = true;
        if (configured.isPresent()) {
            TorchCheck check = inspector.inspect(configured.get());
            seen.add(check.dir());
            usable = check.usableNow();
            row(out, "torch mode", "own libtorch (" + TorchSetting.ENV + "): " + check.describe());
            List<String> overridden = TorchSetting.overriddenBy(System::getenv);
            if (!overridden.isEmpty()) {
                row(out, "torch mode", "WARNING: " + String.join(", ", overridden) + " in the environment override"
                        + " what " + TorchSetting.ENV + " hands DJL; unset them");
            }
        } else {
            row(out, "torch mode", "bundled CPU natives (set " + TorchSetting.ENV + "=DIR to run on an installed"
                    + " torch; bridges built by `workbench native build` go to " + home.root() + ")");
        }
        List<Path> candidates = new ArrayList<>(torches);
        if (!python.equals("none")) {
            TorchDiscovery.Found found = TorchDiscovery.fromPython(python, 60);
            if (found.dir() == null) {
                row(out, "torch", found.note());
            } else {
                candidates.add(found.dir());
            }
        }
        for (Path dir : candidates) {
            TorchCheck check = inspector.inspect(dir);
            if (seen.add(check.dir())) {
                row(out, "torch", check.describe() + (check.usableNow() ? "; use it with " + TorchSetting.ENV + "="
                        + check.dir() : ""));
            }
        }
        return usable;
    }

    private static String freeDisk() {
        Path here = Path.of("").toAbsolutePath();
        try {
            long free = Files.getFileStore(here).getUsableSpace();
            return String.format(Locale.ROOT, "%.1f GiB free in %s", free / (double) (1L << 30), here);
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static void row(PrintWriter out, String name, String value) {
        out.printf("%-14s %s%n", name, value);
    }
}
