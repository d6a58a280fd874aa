package dev.workbench.cli;

import dev.workbench.cli.torch.FakeTorch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** doctor's torch rows, main()'s refusal of an unusable WORKBENCH_TORCH, and native build's refusals. */
class TorchModeCommandsTest {
    @TempDir
    Path tmp;

    /** A pip-style torch 2.13.0+cpu (version.py and an x86-64 ELF header in lib/libtorch.so). */
    private Path torch213() {
        return FakeTorch.wheel(tmp, "2.13.0+cpu", null, FakeTorch.X86_64);
    }

    /** A stand-in for python3 that prints what `import torch` would (the discovery's only contract). */
    private String fakePython(Path torch) throws IOException {
        Path py = tmp.resolve("python3");
        Files.writeString(py, "#!/bin/sh\necho WORKBENCH_TORCH_DIR=" + torch + "\n");
        py.toFile().setExecutable(true);
        return py.toString();
    }

    @Test
    void doctorFindsTheTorchPythonImportsAndSaysWhatToDo() throws IOException {
        Path torch = torch213();
        System.setProperty("workbench.native.dir", tmp.resolve("native").toString());
        try {
            RecipeCommandsTest.Result r = RecipeCommandsTest.run("doctor", "--python", fakePython(torch),
                    "--torch", tmp.resolve("nowhere").toString());
            assertEquals(0, r.exitCode(), r.out() + r.err());
            assertTrue(r.out().contains("torch mode     bundled CPU natives"), r.out());
            assertTrue(r.out().contains("torch          2.13.0 cpu at " + torch
                    + ": usable after `workbench native build` ("), r.out());
            assertTrue(r.out().contains("fix: workbench native build --torch " + torch + " --djl-source"), r.out());
            assertTrue(r.out().contains("at " + tmp.resolve("nowhere") + ": not usable (no such folder)"), r.out());
            assertTrue(r.out().contains("natives        loaded"), r.out());

            RecipeCommandsTest.Result noTorch = RecipeCommandsTest.run("doctor", "--python", tmp.resolve("absent-py")
                    .toString());
            assertTrue(noTorch.out().contains("torch          " + tmp.resolve("absent-py") + " cannot be started"),
                    noTorch.out());
        } finally {
            System.clearProperty("workbench.native.dir");
        }
    }

    @Test
    void anUnusableConfiguredTorchStopsDoctorBeforeTheNativesAndMainRefusesOtherCommands() throws IOException {
        Path torch = torch213();
        System.setProperty("workbench.torch", torch.toString());
        System.setProperty("workbench.native.dir", tmp.resolve("native").toString());
        try {
            RecipeCommandsTest.Result r = RecipeCommandsTest.run("doctor", "--python", "none");
            assertEquals(3, r.exitCode(), r.out() + r.err());
            assertTrue(r.out().contains("torch mode     own libtorch (WORKBENCH_TORCH): 2.13.0 cpu at " + torch
                    + ": usable after `workbench native build`"), r.out());
            assertFalse(r.out().contains("natives        loaded"), r.out());
            assertTrue(r.err().contains("WORKBENCH_TORCH names a torch that cannot be used"), r.err());

            assertEquals(3, Main.execute("validate", "recipes/quickstart.yaml"));
            assertNull(System.getProperty("PYTORCH_LIBRARY_PATH"), "nothing handed to DJL for an unusable torch");
            assertTrue(Main.diagnosing("doctor") && Main.diagnosing("native") && !Main.diagnosing("run"));
        } finally {
            System.clearProperty("workbench.torch");
            System.clearProperty("workbench.native.dir");
        }
    }

    @Test
    void nativeBuildRefusesWithEveryProblemAtOnce() throws IOException {
        Path torch = torch213();
        System.setProperty("workbench.native.dir", tmp.resolve("native").toString());
        try {
            RecipeCommandsTest.Result r = RecipeCommandsTest.run("native", "build", "--torch", torch.toString(),
                    "--djl-source", tmp.resolve("no-djl").toString());
            assertEquals(3, r.exitCode(), r.out() + r.err());
            assertTrue(r.err().contains("cannot build the bridge:"), r.err());
            assertTrue(r.err().contains("no-djl: no such folder (git clone -b v0.36.0"), r.err());
            assertTrue(r.err().contains("has no include/torch/csrc/api/include/torch/torch.h"), r.err());
            assertFalse(Files.exists(tmp.resolve("native")), "nothing written before the checks pass");

            RecipeCommandsTest.Result noSource = RecipeCommandsTest.run("native", "build", "--torch",
                    torch.toString());
            assertEquals(3, noSource.exitCode());
            assertTrue(noSource.err().contains("give --djl-source DIR"), noSource.err());
        } finally {
            System.clearProperty("workbench.native.dir");
        }
    }

    @Test
    void nativeEnvPrintsWhatDjlIsHandedForAUsableTorchOnly() throws IOException {
        Path torch = torch213();
        Path bridge = tmp.resolve("native/djl/pytorch/2.13.0-cpu-" + dev.workbench.cli.torch.NativeHome.platform()
                + "/0.36.0-libdjl_torch.so");
        System.setProperty("workbench.native.dir", tmp.resolve("native").toString());
        try {
            RecipeCommandsTest.Result refused = RecipeCommandsTest.run("native", "env", "--torch", torch.toString());
            assertEquals(3, refused.exitCode(), refused.out() + refused.err());
            assertTrue(refused.err().contains("usable after `workbench native build`"), refused.err());
            Files.createDirectories(bridge.getParent());
            Files.writeString(bridge, "");
            RecipeCommandsTest.Result r = RecipeCommandsTest.run("native", "env", "--torch", torch.toString());
            assertEquals(0, r.exitCode(), r.out() + r.err());
            assertEquals(String.join("\n", "export PYTORCH_LIBRARY_PATH='" + torch.resolve("lib") + "'",
                    "export PYTORCH_VERSION='2.13.0'", "export PYTORCH_FLAVOR='cpu'",
                    "export PYTORCH_LIBRARY_EXCLUSION='libtorchbind_test.so,libjitbackend_test.so,"
                            + "libbackend_with_compiler.so,libaoti_custom_ops.so,libtorch_python.so'",
                    "export ENGINE_CACHE_DIR='" + tmp.resolve("native/djl") + "'", ""), r.out());
        } finally {
            System.clearProperty("workbench.native.dir");
        }
    }
}
