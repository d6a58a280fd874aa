package dev.workbench.model.tokenizer;

import dev.workbench.recipe.BaseModel;
import dev.workbench.recipe.WorkbenchException;

import java.nio.file.Files;
import java.nio.file.Path;

/** Makes the tokenizer a recipe asks for: the byte tokenizer, a BPE trained on the corpus, or a saved file. */
public final class Tokenizers {

    /** GPT-2's older tokenizer files, read when a folder has no tokenizer.json. */
    public static final String VOCAB_JSON = "vocab.json";
    public static final String MERGES_TXT = "merges.txt";

    private Tokenizers() {
    }

    /**
     * {@code byte}: {@link ByteTokenizer}; {@code bpe}: {@link BpeTokenizer#train} on {@code corpusTexts} (one
     * element per document) to {@code spec.vocabSize()}; {@code file}: {@link #load} of {@code spec.path()}.
     * {@code corpusTexts} is read only for {@code bpe}.
     *
     * @throws WorkbenchException INVALID_INPUT for a bpe vocab size below 257, a file kind without a path, or a file
     *                            that cannot be loaded (see {@link #load})
     */
    public static Tokenizer train(BaseModel.TokenizerSpec spec, Iterable<String> corpusTexts) {
        switch (spec.kind()) {
            case BYTE:
                return new ByteTokenizer();
            case BPE:
                if (spec.vocabSize() < ByteTokenizer.VOCAB_SIZE) {
                    throw WorkbenchException.invalid("tokenizer vocab_size " + spec.vocabSize()
                            + " is too small for bpe: it needs at least " + ByteTokenizer.VOCAB_SIZE
                            + " (256 bytes + <|endoftext|>)");
                }
                return BpeTokenizer.train(corpusTexts, spec.vocabSize());
            case FILE:
                return load(spec.path().orElseThrow(() ->
                        WorkbenchException.invalid("tokenizer kind file needs a path to a tokenizer.json")));
            default:
                throw new IllegalStateException("unknown tokenizer kind " + spec.kind());
        }
    }

    /**
     * Reads a {@code tokenizer.json} (or the one inside a folder): with a {@code tokenizer_config.json} next to it, any
     * Hugging Face tokenizer ({@link HfTokenizer}); otherwise ours, or a GPT-2/GPT-Neo-style byte-level BPE from
     * Hugging Face. A folder without tokenizer.json but with GPT-2's {@code vocab.json} + {@code merges.txt} is read
     * from those, as the {@code transformers} converter would. A file that is exactly {@link ByteTokenizer}'s gives a {@link ByteTokenizer}; any other gives a
     * {@link BpeTokenizer}.
     *
     * @throws WorkbenchException ENVIRONMENT when the file is missing or unreadable; INVALID_INPUT, naming the file
     *                            and the feature, for malformed JSON, another model type, a normalizer, a
     *                            pre-tokenizer other than ByteLevel, a post-processor that adds tokens, or no
     *                            {@code <|endoftext|>} token
     */
    public static Tokenizer load(Path folderOrFile) {
        Path file = Files.isDirectory(folderOrFile) ? folderOrFile.resolve(Tokenizer.FILE) : folderOrFile;
        Path folder = file.toAbsolutePath().getParent();
        if (file.getFileName().toString().equals(Tokenizer.FILE) && Files.isRegularFile(file)
                && Files.isRegularFile(folder.resolve(Tokenizer.CONFIG_FILE))) {
            // a Hugging Face tokenizer saved with its special tokens (an hf base's, kept in a checkpoint)
            return HfTokenizer.load(folder, java.util.OptionalInt.empty());
        }
        BpeModel model;
        if (Files.isRegularFile(file)) {
            model = TokenizerJson.read(file);
        } else if (Files.isDirectory(folderOrFile) && Files.isRegularFile(folderOrFile.resolve(VOCAB_JSON))
                && Files.isRegularFile(folderOrFile.resolve(MERGES_TXT))) {
            file = folderOrFile.resolve(VOCAB_JSON);
            model = TokenizerJson.readVocabAndMerges(file, folderOrFile.resolve(MERGES_TXT));
        } else {
            throw WorkbenchException.environment(file + ": tokenizer file not found"
                    + (Files.isDirectory(folderOrFile) ? " (nor " + VOCAB_JSON + " + " + MERGES_TXT + ")" : ""));
        }
        if (model.isByteTokenizer()) {
            return new ByteTokenizer();
        }
        try {
            return new BpeTokenizer(model);
        } catch (IllegalArgumentException e) {
            throw WorkbenchException.invalid(file + ": " + e.getMessage()
                    + " (every workbench tokenizer needs <|endoftext|> in added_tokens or model.vocab)");
        }
    }
}
