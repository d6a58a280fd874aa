package dev.workbench.recipe;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code corpus.text.path}: one path or a list of them, all of one format. */
class CorpusBinderTest {
    @TempDir
    Path dir;

    private Path recipe(String textSection) {
        return RecipeTestFiles.write(dir, "r.yaml", "name: r\n"
                + "base_model: {preset: nano}\n"
                + "corpus:\n"
                + "  text:\n"
                + textSection
                + "finetune: {tasks: [language_model]}\n");
    }

    private static Corpus.TextSource text(Path file, List<String> overrides) {
        return RecipeReader.read(file, overrides).corpus().text().orElseThrow();
    }

    private static String problems(Path file, List<String> overrides) {
        return assertThrows(RecipeException.class, () -> RecipeReader.read(file, overrides)).getMessage();
    }

    @Test
    void aStringIsOneFile() {
        Path file = recipe("    path: data/a.txt\n");
        assertEquals(new Corpus.TextSource(List.of(dir.resolve("data/a.txt")), Corpus.Format.TXT, "text"),
                text(file, List.of()));
        assertEquals("corpus.text.path", text(file, List.of()).pathKey(0));
    }

    @Test
    void aListIsSeveralFilesInOrderWithTheFirstFilesFormat() {
        Path file = recipe("    path:\n      - b.jsonl\n      - ../shared/a.jsonl\n      - /abs/c.JSONL\n"
                + "    column: body\n");
        Corpus.TextSource text = text(file, List.of());
        assertEquals(List.of(dir.resolve("b.jsonl"), dir.getParent().resolve("shared/a.jsonl"),
                Path.of("/abs/c.JSONL")), text.paths());
        assertEquals(Corpus.Format.JSONL, text.format());
        assertEquals("body", text.column());
        assertEquals("corpus.text.path[1]", text.pathKey(1));
        // The same corpus as a one-file list and as a string.
        assertEquals(text(recipe("    path: a.txt\n"), List.of()), text(recipe("    path: [a.txt]\n"), List.of()));
    }

    @Test
    void anEmptyListIsRefused() {
        Path file = recipe("    path: []\n");
        assertEquals(file + ":5:11: error: corpus.text.path: must not be empty\n"
                + "  hint: give one path, or a list of at least one\n"
                + "1 problem in " + file, problems(file, List.of()));
    }

    @Test
    void mixedFormatsAreRefusedAtTheOddFile() {
        Path file = recipe("    path:\n      - a.txt\n      - b.csv\n      - c.txt\n      - d\n");
        assertEquals(file + ":7:9: error: corpus.text.path[1]: must be a .txt file like the first, got 'b.csv'\n"
                + "  hint: the files of corpus.text are all read as one format, here txt (from 'a.txt')\n"
                + file + ":9:9: error: corpus.text.path[3]: must be a .txt file like the first, got 'd'\n"
                + "  hint: the files of corpus.text are all read as one format, here txt (from 'a.txt')\n"
                + "2 problems in " + file, problems(file, List.of()));
        // With format set, every file is read as that format whatever its extension (as for one file).
        Path withFormat = recipe("    path: [a.txt, b.csv]\n    format: txt\n");
        assertEquals(Corpus.Format.TXT, text(withFormat, List.of()).format());
    }

    @Test
    void badItemsAndRepeatsAreReportedAtTheItem() {
        Path file = recipe("    path: [a.txt, '', {x: 1}, ./a.txt]\n");
        assertEquals(file + ":5:19: error: corpus.text.path[1]: must not be empty\n"
                + file + ":5:23: error: corpus.text.path[2]: must be a path, got a mapping\n"
                + file + ":5:31: error: corpus.text.path[3]: lists './a.txt' twice (first as corpus.text.path[0])\n"
                + "  hint: each file is read once; remove the repeat\n"
                + "3 problems in " + file, problems(file, List.of()));
    }

    @Test
    void setGivesAListRelativeToTheWorkingDirectory() {
        Path file = recipe("    path: a.txt\n");
        Path cwd = Path.of("").toAbsolutePath();
        assertEquals(List.of(cwd.resolve("x.txt"), cwd.resolve("y/z.txt")),
                text(file, List.of("corpus.text.path=[x.txt, y/z.txt]")).paths());
        String override = "corpus.text.path=[x.txt, y.csv]";
        assertEquals("--set " + override + ": error: corpus.text.path[1]: must be a .txt file like the first, got "
                + "'y.csv'\n  hint: the files of corpus.text are all read as one format, here txt (from 'x.txt')\n"
                + "1 problem in " + file, problems(file, List.of(override)));
    }

    @Test
    void theResolvedRecipeWritesOnePathAsAStringAndSeveralAsAList() {
        Path one = recipe("    path: [a.txt]\n");
        String yaml = ResolvedRecipeWriter.toYaml(RecipeReader.resolve(one, List.of()));
        assertEquals(1, yaml.lines().filter(l -> l.equals("    path: \"" + dir.resolve("a.txt") + "\"  # "
                + one + ":5")).count(), yaml);
        Path several = recipe("    path: [a.txt, b/a.txt]\n");
        ResolvedRecipe resolved = RecipeReader.resolve(several, List.of());
        yaml = ResolvedRecipeWriter.toYaml(resolved);
        assertEquals(1, yaml.lines().filter(l -> l.equals("    path: [\"" + dir.resolve("a.txt") + "\", \""
                + dir.resolve("b/a.txt") + "\"]  # " + several + ":5")).count(), yaml);
        // Read back, the written recipe is the same.
        Path written = RecipeTestFiles.write(dir, "resolved.yaml", yaml);
        assertEquals(resolved.recipe().corpus(), RecipeReader.read(written, List.of()).corpus());
    }
}
