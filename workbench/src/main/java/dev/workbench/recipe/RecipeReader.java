package dev.workbench.recipe;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Reads a recipe: YAML text -> SnakeYAML node tree (with positions) -> {@code --set} overrides applied to the tree ->
 * {@link Recipe}, binding by hand in {@link RecipeBinder} so that every problem is reported at once with its file,
 * line and column. Nothing downstream reads raw YAML.
 */
public final class RecipeReader {
    /** Recipes are a few kilobytes; anything over this is a mistake (or an attack), refused before parsing. */
    static final int MAX_FILE_BYTES = 1 << 20;
    /** Aliases to lists or mappings; each one can double what a naive walk visits (the "billion laughs"). */
    static final int MAX_ALIASES = 20;
    /** The deepest recipe key is 4 levels down; flow values in lists add one or two. */
    static final int MAX_NESTING_DEPTH = 16;

    private RecipeReader() {
    }

    /** Reads and validates a recipe; throws {@link RecipeException} with every problem found. */
    public static Recipe read(Path recipeFile, List<String> overrides) {
        return resolve(recipeFile, overrides).recipe();
    }

    /** Like {@link #read}, also telling where each value came from (file line, {@code --set} or default). */
    public static ResolvedRecipe resolve(Path recipeFile, List<String> overrides) {
        String display = recipeFile.toString();
        String text = readText(recipeFile, display);
        Node root = compose(text, display, display);
        return RecipeBinder.bind(display, recipeFile.toAbsolutePath().normalize(), root, overrides);
    }

    /** The explicit YAML limits: an alias bomb, a deep nesting or a huge document is an error, never a hang. */
    static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setNestingDepthLimit(MAX_NESTING_DEPTH);
        options.setCodePointLimit(MAX_FILE_BYTES);
        options.setAllowDuplicateKeys(false); // composing does not check this; NodeReader reports duplicates
        options.setAllowRecursiveKeys(false);
        options.setMergeOnCompose(false);
        options.setWrappedToRootException(false);
        return options;
    }

    /** Parses one YAML document to a node tree; a syntax error or exceeded limit becomes a one-problem exception. */
    static Node compose(String text, String sourceName, String fileForCount) {
        try {
            return new Yaml(loaderOptions()).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String message = "invalid YAML: " + (e.getProblem() == null ? e.getMessage() : e.getProblem().trim());
            throw single(fileForCount, sourceName, mark, limitMessage(message));
        } catch (YAMLException e) {
            throw single(fileForCount, sourceName, null, limitMessage("invalid YAML: " + e.getMessage()));
        }
    }

    /** SnakeYAML's limit messages, said in recipe terms. */
    private static String limitMessage(String message) {
        if (message.contains("aliases for non-scalar nodes")) {
            return "more than " + MAX_ALIASES + " aliases to lists or mappings (a YAML alias bomb?)";
        }
        if (message.contains("Nesting Depth exceeded")) {
            return "nested deeper than " + MAX_NESTING_DEPTH + " levels";
        }
        if (message.contains("exceeds the limit")) {
            return "larger than " + MAX_FILE_BYTES + " characters";
        }
        return message;
    }

    private static RecipeException single(String file, String source, Mark mark, String message) {
        int line = mark == null ? 0 : mark.getLine() + 1;
        int column = mark == null ? 0 : mark.getColumn() + 1;
        return new RecipeException(file, List.of(new Problem(source, line, column, "", message, Optional.empty())));
    }

    static String readText(Path file, String display) {
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) {
                throw single(display, display, null, "is a directory, not a recipe file");
            }
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw single(display, display, null, "larger than " + MAX_FILE_BYTES + " bytes: not a recipe");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw single(display, display, null, "no such file");
        } catch (IOException e) {
            throw single(display, display, null, "cannot read: " + e);
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            throw single(display, display, null, "not UTF-8 text");
        }
    }
}
