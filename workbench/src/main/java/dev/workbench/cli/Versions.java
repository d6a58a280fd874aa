package dev.workbench.cli;

import ai.djl.engine.Engine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Versions of everything that can change a result, for run manifests and {@code doctor}. */
final class Versions {
    private Versions() {
    }

    static Map<String, String> collect() {
        Map<String, String> versions = new LinkedHashMap<>();
        String workbench = Versions.class.getPackage().getImplementationVersion();
        versions.put("workbench", workbench == null ? "dev" : workbench);
        versions.put("java", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.version"));
        versions.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        versions.put("djl", Engine.getDjlVersion());
        Engine engine = Engine.getInstance();
        versions.put("engine", engine.getEngineName() + " " + engine.getVersion());
        versions.put("tribuo", org.tribuo.Tribuo.VERSION);
        return versions;
    }

    /** What the recipe asked for and what the engine offers, e.g. {@code auto -> cpu (0 GPUs)}. */
    static String device(List<String> requested) {
        Engine engine = Engine.getInstance();
        return String.join(",", requested) + " -> " + engine.defaultDevice() + " (" + engine.getGpuCount()
                + " GPUs, " + Runtime.getRuntime().availableProcessors() + " CPU threads)";
    }
}
