package dev.workbench.recipe;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The defaults of the recipe language, each checked against the table in docs/recipe-reference.md. */
class RecipeDefaultsTest {
    @TempDir
    Path dir;

    private static final String MINIMAL = """
            name: minimal
            base_model: {preset: nano}
            corpus:
              text: {path: data/text.txt}
              labelled: {path: data/labelled.csv}
              table: {path: /abs/table.jsonl}
            finetune:
              tasks: [language_model, classifier]
            synthesize: {}
            """;

    @Test
    void minimalRecipeGetsEveryDefault() {
        Path file = RecipeTestFiles.write(dir, "minimal.yaml", MINIMAL);
        Recipe r = RecipeReader.read(file, List.of());

        assertEquals("", r.description());
        assertEquals(42, r.seed());
        assertEquals("general", r.domain());
        assertEquals(file.toAbsolutePath().normalize(), r.source());

        BaseModel base = r.baseModel();
        assertEquals(Optional.of("nano"), base.preset());
        assertEquals(new BaseModel.TokenizerSpec(BaseModel.TokenizerKind.BYTE, 257, Optional.empty()),
                base.tokenizer());
        assertEquals(List.of(2, 4, 128, 128),
                List.of(base.layers(), base.heads(), base.embeddingDim(), base.contextLength()));
        assertEquals(0.1, base.dropout());

        Corpus corpus = r.corpus();
        assertEquals(new Corpus.TextSource(dir.resolve("data/text.txt"), Corpus.Format.TXT, "text"),
                corpus.text().orElseThrow());
        assertEquals(new Corpus.LabelledSource(dir.resolve("data/labelled.csv"), Corpus.Format.CSV, "text", "label"),
                corpus.labelled().orElseThrow());
        assertEquals(new Corpus.TableSource(Path.of("/abs/table.jsonl"), Corpus.Format.JSONL, Optional.empty(),
                Map.of(), List.of()), corpus.table().orElseThrow());
        assertEquals(Corpus.BadRowPolicy.ERROR, corpus.onBadRow());

        assertEquals(new Split(Split.Method.STRATIFIED, 0.1, 0.1, Optional.empty(), true), r.split());

        assertEquals(new Training(List.of("auto"), Training.Precision.FP32, 16, 1, Optional.of(1), Optional.empty(),
                3e-4, Training.LrSchedule.COSINE, 0, Optional.empty(), 0.01, 1.0, Optional.empty(), Optional.empty(),
                500, 2, 5, 10), r.training(), "an epochs budget without eval_every_steps: validation once per epoch");

        assertEquals(new Finetune(List.of(Finetune.Task.LANGUAGE_MODEL, Finetune.Task.CLASSIFIER),
                Finetune.Method.FULL, Optional.empty(), Optional.empty(), Optional.empty(), 0.0,
                Finetune.ClassWeights.NONE),
                r.finetune().orElseThrow(), "no classifier_pooling: the base family's default, resolved by the plan");

        assertEquals(new Synthesize(List.of("ctgan", "independent", "gaussian-copula"), Optional.empty(), 300, 0, 500,
                10, 128, List.of(256, 256), List.of(256, 256), 2e-4, 2e-4, true, false, 1.0, true),
                r.synthesize().orElseThrow());

        assertEquals(new Evaluate(true, true, true, 1000, 0.95, List.of(), 64, 0.8,
                List.of("majority", "tfidf-logreg"), List.of("oos")), r.evaluate());
        assertEquals(new Report(List.of("html", "markdown", "json"), "minimal"), r.report());
    }

    @Test
    void methodDefaultsFillLoraAndFreezeOnlyForTheirMethod() {
        String lora = MINIMAL.replace("tasks: [language_model, classifier]",
                "tasks: [language_model]\n  method: lora");
        Finetune f = RecipeReader.read(RecipeTestFiles.write(dir, "lora.yaml", lora), List.of()).finetune().orElseThrow();
        assertEquals(Optional.of(new Finetune.Lora(8, 16, 0.05, List.of("q", "v"))), f.lora());
        assertEquals(Optional.empty(), f.freeze());

        String freeze = MINIMAL.replace("tasks: [language_model, classifier]",
                "tasks: [language_model]\n  method: freeze");
        f = RecipeReader.read(RecipeTestFiles.write(dir, "freeze.yaml", freeze), List.of()).finetune().orElseThrow();
        assertEquals(Optional.of(new Finetune.Freeze(true, 0)), f.freeze());
        assertEquals(Optional.empty(), f.lora());
    }

    @Test
    void presetsAndExplicitFieldsThatOverrideThem() {
        String micro = MINIMAL.replace("{preset: nano}", "{preset: micro}");
        BaseModel b = RecipeReader.read(RecipeTestFiles.write(dir, "m.yaml", micro), List.of()).baseModel();
        assertEquals(List.of(4, 4, 192, 256), List.of(b.layers(), b.heads(), b.embeddingDim(), b.contextLength()));
        String small = MINIMAL.replace("{preset: nano}",
                "{preset: small, layers: 3, context_length: 64, tokenizer: {type: bpe}}");
        ResolvedRecipe resolved = RecipeReader.resolve(RecipeTestFiles.write(dir, "s.yaml", small), List.of());
        b = resolved.recipe().baseModel();
        assertEquals(List.of(3, 6, 384, 64), List.of(b.layers(), b.heads(), b.embeddingDim(), b.contextLength()));
        assertEquals(new BaseModel.TokenizerSpec(BaseModel.TokenizerKind.BPE, 2048, Optional.empty()), b.tokenizer());
        assertEquals("preset small", resolved.sources().get("base_model.heads"));
        assertTrue(resolved.sources().get("base_model.layers").endsWith("s.yaml:2"));
    }

    @Test
    void checkpointIsARunIdOrAPathAndHfIsAFolder() {
        String runId = MINIMAL.replace("{preset: nano}", "{checkpoint: 20261129-093000-a1b2c3}");
        BaseModel b = RecipeReader.read(RecipeTestFiles.write(dir, "r.yaml", runId), List.of()).baseModel();
        assertEquals(Optional.of("20261129-093000-a1b2c3"), b.checkpoint());
        assertEquals(List.of(0, 0, 0, 0), List.of(b.layers(), b.heads(), b.embeddingDim(), b.contextLength()));
        assertEquals(BaseModel.TokenizerKind.FILE, b.tokenizer().kind());

        String path = MINIMAL.replace("{preset: nano}", "{checkpoint: ../models/x}");
        b = RecipeReader.read(RecipeTestFiles.write(dir, "p.yaml", path), List.of()).baseModel();
        assertEquals(Optional.of(dir.getParent().resolve("models/x").toString()), b.checkpoint());

        String hf = MINIMAL.replace("{preset: nano}", "{hf: hf/gpt2, context_length: 64}");
        b = RecipeReader.read(RecipeTestFiles.write(dir, "h.yaml", hf), List.of()).baseModel();
        assertEquals(Optional.of(dir.resolve("hf/gpt2")), b.hf());
        assertEquals(64, b.contextLength());
    }

    @Test
    void synthesizeOnlyRecipeNeedsNoBaseModel() {
        String synthOnly = """
                name: tables
                corpus: {table: {path: t.csv, target: y}}
                synthesize: {methods: [independent], augment: true}
                """;
        Recipe r = RecipeReader.read(RecipeTestFiles.write(dir, "t.yaml", synthOnly), List.of());
        assertTrue(r.finetune().isEmpty());
        assertEquals(Optional.of("nano"), r.baseModel().preset());
        assertTrue(r.synthesize().orElseThrow().augment());
    }

    @Test
    void overridesApplyBeforeBindingAndAreRecordedAsSources() {
        Path file = RecipeTestFiles.write(dir, "minimal.yaml", MINIMAL);
        ResolvedRecipe resolved = RecipeReader.resolve(file, List.of("training.max_steps=50",
                "training.devices=[gpu:0, gpu:1]", "corpus.table.column_types.age=integer",
                "finetune.lora={rank: 4}", "finetune.method=lora", "corpus.text.path=other.txt"));
        Recipe r = resolved.recipe();
        assertEquals(Optional.of(50), r.training().maxSteps());
        assertEquals(Optional.empty(), r.training().epochs(), "max_steps from --set replaces the default epochs");
        assertEquals(List.of("gpu:0", "gpu:1"), r.training().devices());
        assertEquals(Map.of("age", "integer"), r.corpus().table().orElseThrow().columnTypes());
        assertEquals(4, r.finetune().orElseThrow().lora().orElseThrow().rank());
        assertEquals(List.of(Path.of("other.txt").toAbsolutePath()), r.corpus().text().orElseThrow().paths(),
                "a path given by --set is relative to the working directory");
        assertEquals("--set", resolved.sources().get("training.max_steps"));
        assertEquals("--set", resolved.sources().get("finetune.lora.rank"));
        assertEquals("default", resolved.sources().get("finetune.lora.alpha"));
        assertEquals(file + ":5", resolved.sources().get("corpus.labelled.path")); // line 5 of MINIMAL
        assertFalse(resolved.sources().containsKey("training.epochs"));
    }

    @Test
    void singleProblemCountLineAndUnreadableFiles() {
        RecipeException e = assertThrows(RecipeException.class,
                () -> RecipeReader.read(dir.resolve("absent.yaml"), List.of()));
        assertEquals(dir.resolve("absent.yaml") + ": error: no such file\n1 problem in " + dir.resolve("absent.yaml"),
                e.getMessage());
        Path latin1 = dir.resolve("latin1.yaml");
        try {
            Files.write(latin1, new byte[] {'n', 'a', 'm', 'e', ':', ' ', (byte) 0xE9});
        } catch (java.io.IOException io) {
            throw new java.io.UncheckedIOException(io);
        }
        e = assertThrows(RecipeException.class, () -> RecipeReader.read(latin1, List.of()));
        assertTrue(e.getMessage().startsWith(latin1 + ": error: not UTF-8 text"), e.getMessage());
    }
}
