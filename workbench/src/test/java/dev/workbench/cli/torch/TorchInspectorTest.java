package dev.workbench.cli.torch;

import dev.workbench.cli.torch.TorchCheck.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One fake torch folder per verdict doctor can give, and what it says to do. */
class TorchInspectorTest {
    @TempDir
    Path tmp;

    private TorchInspector inspector() {
        return new TorchInspector(new NativeHome(tmp.resolve("native")), PrebuiltBridges.onClasspath());
    }

    @Test
    void prebuiltBridgesAreReadFromDjlsJar() {
        PrebuiltBridges jar = PrebuiltBridges.onClasspath();
        assertEquals("2.7.1", jar.torchVersion());
        assertTrue(jar.covers("2.7.1", "cpu"));
        assertTrue(jar.covers("2.7.1", "cu128"));
        assertTrue(!jar.covers("2.7.1", "cu126") && !jar.covers("2.13.0", "cpu"));
    }

    @Test
    void torch271CpuAndCu128UseThePrebuiltBridge() {
        TorchCheck cpu = inspector().inspect(FakeTorch.wheel(tmp.resolve("a"), "2.7.1+cpu", null, FakeTorch.X86_64));
        assertEquals(Verdict.PREBUILT_BRIDGE, cpu.verdict(), cpu.describe());
        assertEquals("cpu", cpu.flavor());
        assertEquals("", cpu.fix());
        TorchCheck cuda = inspector().inspect(FakeTorch.wheel(tmp.resolve("b"), "2.7.1", "12.8", FakeTorch.X86_64));
        assertEquals(Verdict.PREBUILT_BRIDGE, cuda.verdict(), cuda.describe());
        assertEquals("cu128", cuda.flavor());
        TorchCheck archive = inspector().inspect(FakeTorch.libtorch(tmp.resolve("c"), "2.7.1+cu128"));
        assertEquals(Verdict.PREBUILT_BRIDGE, archive.verdict(), archive.describe());
        assertEquals("2.7.1", archive.version());
        assertEquals("cu128", archive.flavor());
    }

    @Test
    void anotherVersionNeedsABuildAndSaysTheCommand() {
        Path torch = FakeTorch.wheel(tmp, "2.13.0+cpu", null, FakeTorch.X86_64);
        TorchCheck check = inspector().inspect(torch.resolve("lib")); // lib/ means the package folder
        assertEquals(Verdict.NEEDS_BUILD, check.verdict(), check.describe());
        assertEquals(torch, check.dir());
        assertEquals("2.13.0", check.version());
        assertTrue(check.fix().startsWith("workbench native build --torch " + torch + " --djl-source"), check.fix());
        assertTrue(check.fix().contains("pip install torch==2.7.1"), check.fix());
        TorchCheck cu126 = inspector().inspect(FakeTorch.wheel(tmp.resolve("x"), "2.7.1+cu126", "12.6",
                FakeTorch.X86_64));
        assertEquals(Verdict.NEEDS_BUILD, cu126.verdict(), "no prebuilt cu126 bridge: " + cu126.describe());
    }

    @Test
    void aBuiltBridgeInTheNativeHomeMakesItUsable() throws IOException {
        Path torch = FakeTorch.wheel(tmp, "2.13.0+cu130", "13.0", FakeTorch.X86_64);
        NativeHome home = new NativeHome(tmp.resolve("native"));
        Path bridge = home.bridge("2.13.0", "cu130");
        assertEquals(tmp.resolve("native/djl/pytorch/2.13.0-cu130-" + NativeHome.platform()
                + "/0.36.0-libdjl_torch.so"), bridge);
        Files.createDirectories(bridge.getParent());
        Files.writeString(bridge, "");
        TorchCheck check = inspector().inspect(torch);
        assertEquals(Verdict.BUILT_BRIDGE, check.verdict(), check.describe());
        assertTrue(check.usableNow());
    }

    @Test
    void notUsableSaysWhyAndHowToFixIt() throws IOException {
        TorchCheck missing = inspector().inspect(tmp.resolve("nowhere"));
        assertEquals(Verdict.NOT_USABLE, missing.verdict());
        assertTrue(missing.reason().contains("no such folder"), missing.describe());

        Files.createDirectories(tmp.resolve("nolib"));
        TorchCheck noLib = inspector().inspect(tmp.resolve("nolib"));
        assertTrue(noLib.reason().contains("no lib/ folder"), noLib.describe());

        Path noLibtorch = FakeTorch.wheel(tmp.resolve("n"), "2.13.0+cpu", null, FakeTorch.X86_64);
        Files.delete(noLibtorch.resolve("lib/libtorch.so"));
        assertTrue(inspector().inspect(noLibtorch).reason().contains("no lib/libtorch.so"));

        Path arm = FakeTorch.wheel(tmp.resolve("arm"), "2.7.1+cpu", null, FakeTorch.AARCH64);
        TorchCheck abi = inspector().inspect(arm);
        assertEquals(Verdict.NOT_USABLE, abi.verdict(), abi.describe());
        assertTrue(abi.reason().contains("built for aarch64"), abi.describe());
        assertTrue(abi.fix().contains(NativeHome.platform()), abi.fix());

        Path rocm = FakeTorch.wheel(tmp.resolve("rocm"), "2.7.1+rocm6.3", null, FakeTorch.X86_64);
        Files.writeString(rocm.resolve("version.py"), Files.readString(rocm.resolve("version.py"))
                .replace("hip: Optional[str] = None", "hip: Optional[str] = '6.3.42131'"));
        TorchCheck amd = inspector().inspect(rocm);
        assertEquals(Verdict.NOT_USABLE, amd.verdict(), amd.describe());
        assertTrue(amd.reason().contains("ROCm"), amd.describe());

        Path noVersion = FakeTorch.wheel(tmp.resolve("nv"), "2.7.1", null, FakeTorch.X86_64);
        Files.delete(noVersion.resolve("version.py"));
        assertTrue(inspector().inspect(noVersion).reason().contains("tells the torch version"));

        Path cudaUnknown = FakeTorch.libtorch(tmp.resolve("cu"), "2.7.1");
        Files.writeString(cudaUnknown.resolve("lib/libtorch_cuda.so"), "");
        TorchCheck unknown = inspector().inspect(cudaUnknown);
        assertEquals(Verdict.NOT_USABLE, unknown.verdict(), unknown.describe());
        assertTrue(unknown.reason().contains("CUDA release"), unknown.describe());

        Path text = FakeTorch.wheel(tmp.resolve("txt"), "2.7.1+cpu", null, FakeTorch.X86_64);
        Files.writeString(text.resolve("lib/libtorch.so"), "INPUT(libtorch_real.so)");
        assertTrue(inspector().inspect(text).reason().contains("not an ELF"));
    }
}
