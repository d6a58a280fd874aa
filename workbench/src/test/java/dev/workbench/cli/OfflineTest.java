package dev.workbench.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DJL phones home unless offline mode and tracking opt-out are set before it loads. This JVM is set up by surefire
 * exactly as bin/workbench sets up the real one; nothing here calls {@link Offline#enforce()}, so the test fails if
 * the build stops passing the flags.
 */
class OfflineTest {
    @Test
    void offlineAndOptOutAreInEffectInTheTestJvm() {
        assertTrue(Offline.inEffect(), "ai.djl.offline/DJL_OFFLINE and OPT_OUT_TRACKING must be true");
        assertEquals("true", System.getenv("OPT_OUT_TRACKING"), "environment OPT_OUT_TRACKING");
        assertEquals("true", System.getenv("DJL_OFFLINE"), "environment DJL_OFFLINE");
        assertEquals("true", System.getProperty("ai.djl.offline"), "system property ai.djl.offline");
    }
}
