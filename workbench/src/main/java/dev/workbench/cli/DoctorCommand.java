package dev.workbench.cli;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.pytorch.jni.LibUtils;
import dev.workbench.model.ModelFamilies;
import dev.workbench.model.ModelFamily;
import dev.workbench.recipe.WorkbenchException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** What this machine offers the workbench, and whether the PyTorch natives load (exit code 3 when they do not). */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Check Java, DJL, the PyTorch natives, GPUs, threads, disk and the offline flags; list the "
                + "model families this build loads.")
public final class DoctorCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

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
                    + " `mvn -DskipTests package`), or from PYTORCH_LIBRARY_PATH pointing at a local libtorch 2.7.1;"
                    + " offline mode keeps DJL from downloading them.", t);
        }
        versions.forEach((name, version) -> row(out, name, version));
        Engine engine = Engine.getInstance();
        row(out, "natives", "loaded: libtorch " + LibUtils.getVersion() + " from " + LibUtils.getLibtorchPath());
        row(out, "gpus", engine.getGpuCount() + " seen by " + engine.getEngineName() + "; default device "
                + engine.defaultDevice());
        row(out, "torch threads", JniUtils.getNumThreads() + " intra-op, " + JniUtils.getNumInteropThreads()
                + " inter-op");
        out.flush();
        return 0;
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
