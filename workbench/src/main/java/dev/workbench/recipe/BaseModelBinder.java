package dev.workbench.recipe;

import dev.workbench.recipe.BaseModel.TokenizerKind;
import dev.workbench.recipe.BaseModel.TokenizerSpec;
import dev.workbench.recipe.NodeReader.Section;
import org.yaml.snakeyaml.nodes.Node;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Binds {@code base_model}: a preset with its architecture and tokenizer, or a checkpoint, or an hf folder. */
final class BaseModelBinder {
    /** {@code store.RunStore.newRunId}: UTC time and six hex digits. */
    private static final Pattern RUN_ID = Pattern.compile("[0-9]{8}-[0-9]{6}-[0-9a-f]{6}");

    private BaseModelBinder() {
    }

    static BaseModel bind(NodeReader read, Section s, Section root, boolean needed) {
        if (!s.present && needed) {
            read.problem(root.anchor(), "base_model", "required field is missing (finetune starts from a base model)",
                    Optional.of("set one of base_model.preset, base_model.checkpoint, base_model.hf"));
        }
        Optional<String> preset = read.optionalEnumString(s, "preset", ModelPreset.names());
        Optional<String> checkpoint = read.optionalString(s, "checkpoint");
        Optional<String> hfText = read.optionalString(s, "hf");
        List<String> given = new ArrayList<>();
        for (String key : List.of("preset", "checkpoint", "hf")) {
            if (s.has(key)) {
                given.add(key);
            }
        }
        if (s.valid() && given.isEmpty()) {
            read.problem(s.anchor(), "base_model", "needs exactly one of preset, checkpoint, hf", Optional.empty());
        } else if (given.size() > 1) {
            read.problem(s.keyNode(given.get(1)), s.dotted(given.get(1)), "base_model takes exactly one of preset,"
                    + " checkpoint, hf; found " + String.join(" and ", given), Optional.empty());
        }
        if (!s.present) {
            // No base model and nothing to fine-tune: a synthesize-only recipe. Recorded as the smallest preset so
            // that the resolved recipe is complete; no stage uses it.
            preset = Optional.of(ModelPreset.NANO.recipeName());
            read.noteSource("base_model.preset", "default");
        }
        Optional<String> checkpointValue = checkpoint.map(c -> RUN_ID.matcher(c).matches() ? c
                : read.resolvePath(s.value("checkpoint"), "base_model.checkpoint", c).toString());
        Optional<Path> hf = hfText.map(h -> read.resolvePath(s.value("hf"), "base_model.hf", h));
        double dropout = read.number(s, "dropout", 0.1, 0, true, 1, false);

        if (!s.has("preset") && given.size() == 1) {
            // Architecture and tokenizer come from the checkpoint or hf folder.
            String from = checkpoint.isPresent() ? "the checkpoint" : "the hf model";
            for (String key : List.of("layers", "heads", "embedding_dim")) {
                int value = read.integer(s, key, 0, 0, Integer.MAX_VALUE);
                if (value != 0) {
                    read.problem(s.value(key), s.dotted(key), "comes from " + from + "; leave it 0 or remove it",
                            Optional.empty());
                }
            }
            Section tokenizer = read.section(s, "tokenizer");
            if (tokenizer.present) {
                read.problem(s.keyNode("tokenizer"), "base_model.tokenizer", "comes from " + from
                        + " (its tokenizer.json); remove it", Optional.empty());
            }
            int context = read.integer(s, "context_length", 0, 0, 1 << 20);
            return new BaseModel(Optional.empty(), checkpointValue, hf,
                    new TokenizerSpec(TokenizerKind.FILE, 0, Optional.empty()), context, 0, 0, 0, dropout);
        }
        ModelPreset size = preset.flatMap(ModelPreset::find).orElse(ModelPreset.NANO);
        String presetSource = "preset " + size.recipeName();
        int context = presetInteger(read, s, "context_length", size.contextLength(), presetSource, 1 << 20);
        int layers = presetInteger(read, s, "layers", size.layers(), presetSource, 256);
        int heads = presetInteger(read, s, "heads", size.heads(), presetSource, 256);
        int embeddingDim = presetInteger(read, s, "embedding_dim", size.embeddingDim(), presetSource, 1 << 16);
        if (embeddingDim % heads != 0) {
            Node at = s.has("embedding_dim") ? s.value("embedding_dim")
                    : s.has("heads") ? s.value("heads") : s.value("preset");
            String dotted = s.has("embedding_dim") || !s.has("heads") ? "base_model.embedding_dim" : "base_model.heads";
            read.problem(at, dotted, "embedding_dim (" + embeddingDim + ") must be a multiple of heads (" + heads + ")",
                    Optional.empty());
        }
        TokenizerSpec tokenizer = bindTokenizer(read, read.section(s, "tokenizer"));
        return new BaseModel(preset, Optional.empty(), Optional.empty(), tokenizer, context, layers, heads,
                embeddingDim, dropout);
    }

    private static int presetInteger(NodeReader read, Section s, String key, int presetValue, String presetSource,
                                     int max) {
        if (s.has(key)) {
            return read.integer(s, key, presetValue, 1, max);
        }
        read.noteSource(s.dotted(key), presetSource);
        return presetValue;
    }

    private static TokenizerSpec bindTokenizer(NodeReader read, Section s) {
        TokenizerKind kind = read.enumValue(s, "type", TokenizerKind.class, TokenizerKind.BYTE);
        Optional<String> pathText = read.optionalString(s, "path");
        if (kind == TokenizerKind.FILE) {
            if (s.has("vocab_size")) {
                read.problem(s.value("vocab_size"), "base_model.tokenizer.vocab_size",
                        "comes from the tokenizer file; remove it", Optional.empty());
            }
            if (pathText.isEmpty() && !s.has("path")) {
                read.problem(s.valid() ? s.anchor() : null, "base_model.tokenizer.path",
                        "required field is missing (type file reads a tokenizer.json)", Optional.empty());
            }
            Optional<Path> path = pathText.map(p -> read.resolvePath(s.value("path"), "base_model.tokenizer.path", p));
            return new TokenizerSpec(kind, 0, path);
        }
        if (s.has("path")) {
            read.problem(s.keyNode("path"), "base_model.tokenizer.path", "is only used with type file",
                    Optional.empty());
        }
        if (kind == TokenizerKind.BYTE) {
            int vocab = read.integer(s, "vocab_size", 257, 0, Integer.MAX_VALUE);
            if (vocab != 257) {
                read.problem(s.value("vocab_size"), "base_model.tokenizer.vocab_size", "the byte tokenizer has exactly"
                        + " 257 ids (256 bytes and end-of-text), got " + vocab,
                        Optional.of("remove vocab_size, or use type bpe"));
            }
            return new TokenizerSpec(kind, 257, Optional.empty());
        }
        int vocab = read.integer(s, "vocab_size", 2048, 257, 1 << 20);
        return new TokenizerSpec(kind, vocab, Optional.empty());
    }
}
