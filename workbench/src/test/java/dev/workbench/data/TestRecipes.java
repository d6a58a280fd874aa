package dev.workbench.data;

import dev.workbench.recipe.BaseModel;
import dev.workbench.recipe.Corpus;
import dev.workbench.recipe.Evaluate;
import dev.workbench.recipe.Recipe;
import dev.workbench.recipe.Report;
import dev.workbench.recipe.Split;
import dev.workbench.recipe.Training;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds recipes from records directly (tests of the data layer do not depend on the YAML reader). */
final class TestRecipes {
    private Corpus.TextSource text;
    private Corpus.LabelledSource labelled;
    private Corpus.TableSource table;
    private Corpus.BadRowPolicy onBadRow = Corpus.BadRowPolicy.ERROR;
    private Split split = new Split(Split.Method.RANDOM, 0.1, 0.2, Optional.empty(), false);
    private long seed = 42;

    static TestRecipes recipe() {
        return new TestRecipes();
    }

    TestRecipes text(Path path) {
        text = new Corpus.TextSource(path, format(path), "text");
        return this;
    }

    /** Several text files, of the first one's format. */
    TestRecipes texts(List<Path> paths, String column) {
        text = new Corpus.TextSource(paths, format(paths.get(0)), column);
        return this;
    }

    TestRecipes text(Path path, String column) {
        text = new Corpus.TextSource(path, format(path), column);
        return this;
    }

    TestRecipes labelled(Path path, String textColumn, String labelColumn) {
        labelled = new Corpus.LabelledSource(path, format(path), textColumn, labelColumn);
        return this;
    }

    TestRecipes table(Path path, String target, List<String> drop) {
        table = new Corpus.TableSource(path, format(path), Optional.ofNullable(target), Map.of(), drop);
        return this;
    }

    TestRecipes skipBadRows() {
        onBadRow = Corpus.BadRowPolicy.SKIP;
        return this;
    }

    TestRecipes split(Split.Method method, double validation, double test) {
        split = new Split(method, validation, test, split.column(), split.dedupe());
        return this;
    }

    TestRecipes splitColumn(String column) {
        split = new Split(Split.Method.COLUMN, split.validation(), split.test(), Optional.of(column), split.dedupe());
        return this;
    }

    TestRecipes dedupe() {
        split = new Split(split.method(), split.validation(), split.test(), split.column(), true);
        return this;
    }

    TestRecipes seed(long value) {
        seed = value;
        return this;
    }

    Corpus corpus() {
        return new Corpus(Optional.ofNullable(text), Optional.ofNullable(labelled), Optional.ofNullable(table),
                onBadRow);
    }

    Recipe build() {
        BaseModel base = new BaseModel(Optional.of("nano"), Optional.empty(), Optional.empty(),
                new BaseModel.TokenizerSpec(BaseModel.TokenizerKind.BYTE, 256, Optional.empty()),
                64, 2, 2, 32, 0.0);
        Training training = new Training(List.of("cpu"), Training.Precision.FP32, 8, 1, Optional.empty(),
                Optional.of(10), 1e-3, Training.LrSchedule.CONSTANT, 0, Optional.empty(), 0.0, 1.0, Optional.of(5),
                Optional.empty(), 5, 1, 3, 1);
        Evaluate evaluate = new Evaluate(true, true, true, 10, 0.95, List.of(), 8, 1.0, List.of("majority"),
                List.of("oos"));
        return new Recipe("test", "", seed, "general", base, corpus(), split, training, Optional.empty(),
                Optional.empty(), evaluate, new Report(List.of("json"), "test"), Path.of("/tmp/test.yaml"));
    }

    static Corpus.Format format(Path path) {
        String name = path.getFileName().toString();
        if (name.endsWith(".jsonl")) {
            return Corpus.Format.JSONL;
        }
        return name.endsWith(".txt") ? Corpus.Format.TXT : Corpus.Format.CSV;
    }
}
