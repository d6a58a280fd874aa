package dev.workbench.cli.torch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The extension build's refusals (the bridge's toolchain ones) and its cache key, without compiling anything. */
class ExtensionBuildTest {
    @TempDir
    Path tmp;

    private TorchCheck torch(String version, boolean headers) throws IOException {
        Path dir = FakeTorch.wheel(tmp.resolve("t" + version), version, null, FakeTorch.X86_64);
        if (headers) {
            FakeTorch.headers(dir);
        }
        return new TorchInspector(new NativeHome(tmp.resolve("native")), PrebuiltBridges.onClasspath()).inspect(dir);
    }

    private ExtensionBuild build(TorchCheck torch, String path) {
        return new ExtensionBuild(torch, new NativeHome(tmp.resolve("native")),
                Path.of(System.getProperty("java.home")), path);
    }

    private String pathWith(String... tools) throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        for (String tool : tools) {
            Path f = bin.resolve(tool);
            Files.writeString(f, "#!/bin/sh\nexit 0\n");
            assertTrue(f.toFile().setExecutable(true));
        }
        return bin.toString();
    }

    @Test
    void theSourceShipsInTheJarAndACompleteSetupHasNoProblem() throws IOException {
        for (String file : ExtensionBuild.FILES) {
            assertTrue(ExtensionBuild.class.getResource(ExtensionBuild.SOURCE + file) != null, file);
        }
        assertEquals(List.of(), build(torch("2.13.0+cpu", true), pathWith("cmake", "g++")).problems());
    }

    @Test
    void missingHeadersAndToolsAreAllReportedAtOnce() throws IOException {
        List<String> p = build(torch("2.13.0+cpu", false), "").problems();
        assertEquals(4, p.size(), String.join("\n", p));
        assertTrue(p.get(0).contains("has no include/torch/csrc/api/include/torch/torch.h"), p.get(0));
        assertTrue(p.get(1).contains("has no share/cmake/Torch/TorchConfig.cmake"), p.get(1));
        assertTrue(p.get(2).startsWith("cmake is not on PATH"), p.get(2));
        assertTrue(p.get(3).startsWith("g++ is not on PATH"), p.get(3));
    }

    @Test
    void theResultIsKeyedByTorchVersionAndFlavour() throws IOException {
        TorchCheck torch = torch("2.13.0+cpu", true);
        ExtensionBuild build = build(torch, "");
        assertFalse(build.built());
        Path library = new NativeHome(tmp.resolve("native")).extension(torch.version(), torch.flavor());
        assertEquals(tmp.resolve("native/ext/2.13.0-cpu/libworkbench_fused.so"), library);
        NativeHome home = new NativeHome(tmp.resolve("native"));
        assertFalse(TorchSetting.djlProperties(torch, home).containsKey("WORKBENCH_FUSED_LIBRARY"));
        Files.createDirectories(library.getParent());
        Files.writeString(library, "");
        assertFalse(build.built(), "no note: built by another workbench version, or half written");
        Files.writeString(library.resolveSibling(BridgeBuild.NOTE), "torch 2.13.0 cpu\nsource 00\n");
        assertFalse(build.built(), "built from other C++ source: must be rebuilt, not loaded");
        assertFalse(TorchSetting.djlProperties(torch, home).containsKey("WORKBENCH_FUSED_LIBRARY"));
        Files.writeString(library.resolveSibling(BridgeBuild.NOTE), "torch 2.13.0 cpu\n"
                + ExtensionBuild.sourceLine() + "\n");
        assertTrue(build.built());
        // own-libtorch mode hands the built extension to the JVM (model.fused.FusedOps reads this name)
        assertEquals(library.toString(), TorchSetting.djlProperties(torch, home).get("WORKBENCH_FUSED_LIBRARY"));
    }
}
