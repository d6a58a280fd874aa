package dev.workbench.model.fused;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The loader's checks, which run everywhere (CI has no extension: the bundled libtorch 2.7.1 ships no headers to
 * build one against). The fused ops themselves are compared with the unfused ones in {@link FusedAttentionTest}.
 */
class FusedOpsTest {
    @Test
    void aMissingLibraryIsReportedWithTheCommandThatBuildsIt(@TempDir Path dir) {
        String why = FusedOps.check(dir.resolve("2.13.0-cpu/libworkbench_fused.so"), "2.13.0").orElseThrow();
        assertTrue(why.contains("no such file") && why.contains("workbench native build"), why);
    }

    @Test
    void aLibraryBuiltForAnotherTorchIsNotLoaded(@TempDir Path dir) throws IOException {
        Path library = Files.createDirectories(dir.resolve("2.13.0-cpu")).resolve("libworkbench_fused.so");
        Files.writeString(library, "not loaded");
        String why = FusedOps.check(library, "2.7.1").orElseThrow();
        assertTrue(why.contains("built for torch 2.13.0-cpu") && why.contains("DJL runs libtorch 2.7.1"), why);
        assertTrue(FusedOps.check(library, "2.13.0").isEmpty());
        assertTrue(FusedOps.check(library, "2.13.0+cpu").isEmpty());
    }

    @Test
    void versionsCompareWithoutTheLocalSuffix() {
        assertTrue(FusedOps.versionMatches("2.13.0+cpu", "2.13.0"));
        assertFalse(FusedOps.versionMatches("2.13.0", "2.13.1"));
        assertFalse(FusedOps.versionMatches(null, "2.13.0"));
    }

    @Test
    void thePropertyWinsOverTheEnvironmentAndBlankIsUnset() {
        Map<String, String> env = Map.of(FusedOps.LIBRARY, "/from/env");
        assertEquals("/from/prop", FusedOps.setting(FusedOps.LIBRARY, n -> "/from/prop", env::get));
        assertEquals("/from/env", FusedOps.setting(FusedOps.LIBRARY, n -> " ", env::get));
        assertEquals(null, FusedOps.setting(FusedOps.LIBRARY, n -> null, n -> null));
    }

    @Test
    void withoutTheSettingTheExtensionIsAbsentAndSaysWhy() {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                FusedOps.setting(FusedOps.LIBRARY, System::getProperty, System::getenv) == null,
                "this JVM is configured with an extension");
        assertFalse(FusedOps.present());
        assertFalse(FusedOps.enabled());
        assertTrue(FusedOps.absence().orElseThrow().contains(FusedOps.LIBRARY + " is not set"));
    }
}
