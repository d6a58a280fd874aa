package dev.workbench.finetune;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbench.cli.Main;
import dev.workbench.model.tokenizer.ByteTokenizer;
import dev.workbench.model.io.CheckpointConfig;
import dev.workbench.model.io.CheckpointIO;
import dev.workbench.model.gpt.GptConfig;
import dev.workbench.model.gpt.GptModel;
import dev.workbench.recipe.BaseModel;
import dev.workbench.recipe.WorkbenchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TextScoringTest {
    /** Context 8 so the 13-byte document needs two windows (rolling scoring is exercised). */
    private static final GptConfig CONFIG = new GptConfig(257, 8, 1, 2, 8, 0.0);

    @TempDir
    Path dir;

    /**
     * A model with every weight zero: logits are all 0, so each of the 257 ids has probability 1/257 and every
     * predicted token costs ln 257 nats, independent of context. That gives closed-form goldens.
     */
    private Path uniformCheckpoint(Path folder) throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            GptModel model = GptModel.create(CONFIG, 1, manager);
            for (Pair<String, Parameter> p : model.getParameters()) {
                p.getValue().getArray().muli(0);
            }
            return CheckpointIO.save(folder, CheckpointConfig.languageModel(CONFIG, BaseModel.TokenizerKind.BYTE),
                    model, new ByteTokenizer());
        }
    }

    @Test
    void countsWordsAsWhitespaceSeparatedRuns() {
        assertEquals(0, TextScoring.words("  \n "));
        assertEquals(3, TextScoring.words(" a  b\n\tc "));
    }

    @Test
    void uniformModelGivesClosedFormFigures() throws IOException {
        Path checkpoint = uniformCheckpoint(dir.resolve("ckpt"));
        // doc 1: "café au lait" = 13 UTF-8 bytes (é is 2), 3 words; doc 2: "two\nlines" = 9 bytes, 2 words
        Path text = dir.resolve("t.txt");
        Files.writeString(text, "café au lait\n\n\ntwo\nlines\n", StandardCharsets.UTF_8);
        TextScoring.TextScore s = TextScoring.score(checkpoint.toString(), text, 3);
        assertEquals(2, s.documents());
        assertEquals(22, s.bytes());
        assertEquals(5, s.words());
        assertEquals(22, s.tokens()); // byte tokenizer: one token per byte, each predicted once
        double ln257 = Math.log(257);
        assertEquals(22 * ln257, s.nllNats(), 1e-3);
        // hand: log2(257) = 8.005624549193879; byte and token perplexity = 257; word ppl = 257^(22/5) = exp(22 ln257/5)
        assertEquals(8.005624549193879, s.bitsPerByte(), 1e-4);
        assertEquals(257.0, s.bytePerplexity(), 1e-2);
        assertEquals(257.0, s.tokenPerplexity(), 1e-2);
        assertEquals(Math.exp(22 * ln257 / 5), s.wordPerplexity(), s.wordPerplexity() * 1e-4);
        assertEquals("byte", s.tokenizer());
        assertEquals(257, s.vocabSize());
    }

    @Test
    void scoresAHuggingFaceFolderTheSameWay() throws IOException {
        Path checkpoint = uniformCheckpoint(dir.resolve("ckpt"));
        Path hf = dev.workbench.model.hf.HfExporter.export(
                dev.workbench.model.hf.CheckpointRef.resolve(checkpoint.toString()), dir.resolve("hf"));
        Path text = dir.resolve("t.txt");
        Files.writeString(text, "one two three\n", StandardCharsets.UTF_8);
        TextScoring.TextScore s = TextScoring.score("hf:" + hf, text, 2);
        assertEquals("hf:" + hf, s.checkpoint());
        assertEquals(13, s.tokens());
        assertEquals(8.005624549193879, s.bitsPerByte(), 1e-4); // log2(257), as for the workbench folder
        assertEquals(Math.pow(257, 13.0 / 3), s.wordPerplexity(), Math.pow(257, 13.0 / 3) * 1e-4);
    }

    @Test
    void cliScoresARunFolderAndPrintsJson() throws IOException {
        Path run = dir.resolve("run");
        uniformCheckpoint(run.resolve("checkpoints/language_model/best"));
        Path text = dir.resolve("t.txt");
        Files.writeString(text, "abc def\n", StandardCharsets.UTF_8);
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(out));
        assertEquals(0, cli.execute("score", "--checkpoint", run.toString(), "--text-file", text.toString(),
                "--json"));
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertEquals(7, json.get("bytes").asLong());
        assertEquals(2, json.get("words").asLong());
        assertEquals(8.005624549193879, json.get("bits_per_byte").asDouble(), 1e-4);
        assertEquals(Math.pow(257, 3.5), json.get("word_perplexity").asDouble(), Math.pow(257, 3.5) * 1e-4);
        assertTrue(json.get("checkpoint").asText().endsWith("best"), out.toString());
    }

    @Test
    void missingTextFileIsInvalidInput() throws IOException {
        Path checkpoint = uniformCheckpoint(dir.resolve("ckpt"));
        WorkbenchException e = assertThrows(WorkbenchException.class,
                () -> TextScoring.score(checkpoint.toString(), dir.resolve("none.txt"), 2));
        assertTrue(e.getMessage().contains("none.txt"), e.getMessage());
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err));
        try {
            assertEquals(2, Main.execute("score", "--checkpoint", checkpoint.toString(), "--text-file",
                    dir.resolve("none.txt").toString()));
        } finally {
            System.setErr(saved);
        }
    }
}
