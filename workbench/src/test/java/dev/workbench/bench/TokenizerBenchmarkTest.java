package dev.workbench.bench;

import dev.workbench.model.tokenizer.Gpt2StyleFile;
import dev.workbench.model.tokenizer.HuggingFaceCompatibilityTest;
import dev.workbench.model.tokenizer.HuggingFaceLibrary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The benchmark's plumbing on a tiny text (its numbers are measured by the command, not here). */
class TokenizerBenchmarkTest {

    @Test
    void paragraphsConcatenateBackToTheText() {
        assertEquals(List.of("a\n\n", "b\nc\n\n", "\n\n", "d"), TokenizerBenchmark.paragraphs("a\n\nb\nc\n\n\n\nd"));
        assertEquals(List.of("x\n\n"), TokenizerBenchmark.paragraphs("x\n\n"));
    }

    @Test
    void runsAndAgreesWithTheLibrary(@TempDir Path folder) throws Exception {
        HuggingFaceLibrary.open(Gpt2StyleFile.write(folder.resolve("probe"), false)).close(); // skips without DJL natives
        String text = String.join("\n\n", HuggingFaceCompatibilityTest.trainingCorpus());
        TokenizerBenchmark.Result r = TokenizerBenchmark.measure(text, text, 300, 2, folder);
        assertTrue(r.idsIdentical());
        assertEquals(300, r.vocabSize());
        assertEquals(43, r.merges());
        assertTrue(Files.isRegularFile(r.tokenizerFile()));
        assertTrue(r.bytesPerToken() > 1.0 && r.ours().warmMbPerS() > 0 && r.library().warmMbPerS() > 0
                && r.libraryCore().warmMbPerCpuS() > 0);
        assertEquals(r.ours().tokens(), r.libraryCore().tokens());
    }
}
