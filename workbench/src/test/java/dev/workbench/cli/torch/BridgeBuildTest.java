package dev.workbench.cli.torch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every refusal of `native build`, found all at once before anything is written. */
class BridgeBuildTest {
    @TempDir
    Path tmp;

    private TorchCheck torch(String version, String cuda) throws IOException {
        Path dir = FakeTorch.wheel(tmp.resolve("t" + version + cuda), version, cuda, FakeTorch.X86_64);
        FakeTorch.headers(dir);
        return new TorchInspector(new NativeHome(tmp.resolve("native")), PrebuiltBridges.onClasspath()).inspect(dir);
    }

    /** A DJL checkout's layout at the given version (empty files). */
    private Path djl(String version) throws IOException {
        Path src = tmp.resolve("djl-" + version);
        for (String f : new String[] {BridgeBuild.NATIVE + "/CMakeLists.txt", BridgeBuild.LIBRARY_JAVA,
            "api/src/main/native/djl/utils.h"}) {
            Files.createDirectories(src.resolve(f).getParent());
            Files.writeString(src.resolve(f), "");
        }
        Files.createDirectories(src.resolve(BridgeBuild.NATIVE + "/src/main/native"));
        Files.createDirectories(src.resolve("gradle"));
        Files.writeString(src.resolve("gradle/libs.versions.toml"), "[versions]\ndjl = \"" + version + "\"\n");
        return src;
    }

    /** A PATH folder holding executables of these names (scripts that do nothing). */
    private String pathWith(String... tools) throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        for (String tool : tools) {
            Path f = bin.resolve(tool);
            Files.writeString(f, "#!/bin/sh\nexit 0\n");
            f.toFile().setExecutable(true);
        }
        return bin.toString();
    }

    private BridgeBuild build(Path source, TorchCheck torch, String path) {
        return new BridgeBuild(source, torch, new NativeHome(tmp.resolve("native")),
                Path.of(System.getProperty("java.home")), path);
    }

    @Test
    void aCompleteSetupHasNoProblem() throws IOException {
        assertEquals(List.of(), build(djl("0.36.0"), torch("2.13.0+cpu", null), pathWith("cmake", "g++")).problems());
    }

    @Test
    void missingToolsAreNamedWithTheirInstallCommand() throws IOException {
        List<String> p = build(djl("0.36.0"), torch("2.13.0+cpu", null), "").problems();
        assertEquals(2, p.size(), String.join("\n", p));
        assertTrue(p.get(0).startsWith("cmake is not on PATH (install it: apt-get install cmake"), p.get(0));
        assertTrue(p.get(1).startsWith("g++ is not on PATH"), p.get(1));
        List<String> cuda = build(djl("0.36.0"), torch("2.13.0+cu130", "13.0"), pathWith("cmake", "g++")).problems();
        assertEquals(1, cuda.size(), String.join("\n", cuda));
        assertTrue(cuda.get(0).startsWith("nvcc is not on PATH"), cuda.get(0));
    }

    @Test
    void aMissingOrWrongDjlSourceIsRefused() throws IOException {
        String path = pathWith("cmake", "g++");
        TorchCheck torch = torch("2.13.0+cpu", null);
        List<String> none = build(tmp.resolve("absent"), torch, path).problems();
        assertEquals(1, none.size(), String.join("\n", none));
        assertTrue(none.get(0).contains("no such folder (git clone -b v0.36.0"), none.get(0));

        List<String> empty = build(Files.createDirectories(tmp.resolve("empty")), torch, path).problems();
        assertEquals(5, empty.size(), String.join("\n", empty)); // 4 files and the version file
        assertTrue(empty.get(0).contains("no engines/pytorch/pytorch-native/CMakeLists.txt"), empty.get(0));

        List<String> old = build(djl("0.35.0"), torch, path).problems();
        assertEquals(1, old.size(), String.join("\n", old));
        assertTrue(old.get(0).contains("is DJL 0.35.0, this workbench runs DJL 0.36.0"), old.get(0));
        assertTrue(old.get(0).contains("checkout v0.36.0"), old.get(0));
    }

    @Test
    void aTorchWithoutHeadersOrUnusableIsRefused() throws IOException {
        String path = pathWith("cmake", "g++");
        TorchCheck torch = torch("2.13.0+cpu", null);
        Files.delete(torch.dir().resolve("include/torch/csrc/api/include/torch/torch.h"));
        List<String> p = build(djl("0.36.0"), torch, path).problems();
        assertEquals(1, p.size(), String.join("\n", p));
        assertTrue(p.get(0).contains("has no include/torch/csrc/api/include/torch/torch.h"), p.get(0));

        TorchCheck arm = new TorchInspector(new NativeHome(tmp), PrebuiltBridges.onClasspath())
                .inspect(FakeTorch.wheel(tmp.resolve("arm"), "2.13.0+cpu", null, FakeTorch.AARCH64));
        List<String> all = build(tmp.resolve("absent"), arm, "").problems();
        assertEquals(4, all.size(), "torch, source, cmake and g++ at once:\n" + String.join("\n", all));
        assertTrue(all.get(0).contains("built for aarch64"), all.get(0));
    }
}
