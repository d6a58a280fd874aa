package dev.workbench.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** doctor loads the PyTorch natives (a few seconds) and reports what it found. */
class DoctorCommandTest {
    @Test
    void doctorReportsNativesGpusAndOfflineFlags() {
        RecipeCommandsTest.Result r = RecipeCommandsTest.run("doctor");
        assertEquals(0, r.exitCode(), r.out() + r.err());
        for (String row : new String[] {"offline", "cpu threads", "disk", "djl", "engine", "natives", "gpus",
                "torch threads"}) {
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith(row + " ")), "no '" + row + "' row in:\n" + r.out());
        }
        assertTrue(r.out().contains("offline        yes"), r.out());
        assertTrue(r.out().contains("natives        loaded"), r.out());
        for (String family : new String[] {"gpt: GPT-2-family models", "llama: Llama-architecture decoders",
                "bert: BERT-family encoders"}) {
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith("model family   " + family)), r.out());
        }
    }
}
