package dev.workbench.cli;

/**
 * DJL sends an HTTP request to a cloud metadata address at start-up and on every HuggingFace tokenizer load unless
 * offline mode and tracking opt-out are set. The launcher and the test runner set them too; this is the last line of
 * defence for anyone who runs the jar by hand.
 */
public final class Offline {
    private Offline() {
    }

    public static void enforce() {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
        if (System.getProperty("DJL_DISABLE_PROGRESS_BAR") == null) {
            System.setProperty("DJL_DISABLE_PROGRESS_BAR", "true");
        }
    }

    /** True when both flags are in effect for this JVM (doctor reports it; a test asserts it). */
    public static boolean inEffect() {
        boolean offline = "true".equalsIgnoreCase(System.getProperty("ai.djl.offline"))
                || "true".equalsIgnoreCase(System.getenv("DJL_OFFLINE"));
        boolean optOut = "true".equalsIgnoreCase(System.getProperty("OPT_OUT_TRACKING"))
                || "true".equalsIgnoreCase(System.getenv("OPT_OUT_TRACKING"));
        return offline && optOut;
    }
}
