package dev.workbench.cli.torch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What own-libtorch mode hands DJL, read the way DJL 0.36's LibUtils reads it. */
class TorchSettingTest {
    @TempDir
    Path tmp;

    @Test
    void theSettingIsThePropertyElseTheEnvironment() {
        Map<String, String> none = Map.of();
        assertEquals(Optional.empty(), TorchSetting.configured(none::get, none::get));
        Map<String, String> env = Map.of("WORKBENCH_TORCH", "/opt/torch");
        assertEquals(Optional.of(Path.of("/opt/torch")), TorchSetting.configured(none::get, env::get));
        Map<String, String> props = Map.of("workbench.torch", "/p/torch");
        assertEquals(Optional.of(Path.of("/p/torch")), TorchSetting.configured(props::get, env::get));
        Map<String, String> blank = Map.of("WORKBENCH_TORCH", " ");
        assertEquals(Optional.empty(), TorchSetting.configured(none::get, blank::get));
    }

    @Test
    void djlGetsTheLibFolderVersionFlavourAndTheWorkbenchCache() {
        Path torch = FakeTorch.wheel(tmp, "2.13.0+cpu", null, FakeTorch.X86_64);
        NativeHome home = new NativeHome(tmp.resolve("native"));
        TorchCheck check = new TorchInspector(home, PrebuiltBridges.onClasspath()).inspect(torch);
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("PYTORCH_LIBRARY_PATH", torch.resolve("lib").toString());
        expected.put("PYTORCH_VERSION", "2.13.0");
        expected.put("PYTORCH_FLAVOR", "cpu");
        expected.put("PYTORCH_LIBRARY_EXCLUSION", "libtorchbind_test.so,libjitbackend_test.so,"
                + "libbackend_with_compiler.so,libaoti_custom_ops.so,libtorch_python.so");
        expected.put("ENGINE_CACHE_DIR", tmp.resolve("native/djl").toString());
        assertEquals(expected, TorchSetting.djlProperties(check, home));
        // DJL looks for the bridge at ENGINE_CACHE_DIR/pytorch/<PYTORCH_VERSION>-<PYTORCH_FLAVOR>-<platform>/
        assertEquals(Path.of(expected.get("ENGINE_CACHE_DIR"), "pytorch", "2.13.0-cpu-" + NativeHome.platform(),
                "0.36.0-libdjl_torch.so"), home.bridge(check.version(), check.flavor()));
    }

    @Test
    void aCudaWheelAlsoGetsJnaAnUnversionedCudart() throws IOException {
        Path torch = FakeTorch.wheel(tmp, "2.7.1+cu128", "12.8", FakeTorch.X86_64);
        Path cudart = torch.getParent().resolve("nvidia/cuda_runtime/lib/libcudart.so.12");
        Files.createDirectories(cudart.getParent());
        Files.writeString(cudart, "");
        NativeHome home = new NativeHome(tmp.resolve("native"));
        TorchCheck check = new TorchInspector(home, PrebuiltBridges.onClasspath()).inspect(torch);
        Map<String, String> p = TorchSetting.djlProperties(check, home);
        assertEquals("cu128", p.get("PYTORCH_FLAVOR"));
        assertEquals(tmp.resolve("native/cudart").toString(), p.get("jna.library.path"));
        assertEquals(Optional.of(cudart), TorchSetting.cudaRuntime(check));
    }

    @Test
    void djlVariablesInTheEnvironmentAreReportedAsOverrides() {
        Map<String, String> env = Map.of("PYTORCH_FLAVOR", "cu130", "PATH", "/bin");
        assertEquals(java.util.List.of("PYTORCH_FLAVOR"), TorchSetting.overriddenBy(env::get));
    }
}
