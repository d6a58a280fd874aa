package dev.workbench.finetune;

import ai.djl.ndarray.NDManager;
import dev.workbench.data.CorpusLoader;
import dev.workbench.data.Loaded;
import dev.workbench.data.TextDocument;
import dev.workbench.model.LanguageModel;
import dev.workbench.model.io.CheckpointIO;
import dev.workbench.model.tokenizer.BpeTokenizer;
import dev.workbench.model.tokenizer.ByteTokenizer;
import dev.workbench.model.tokenizer.HfTokenizer;
import dev.workbench.model.tokenizer.Tokenizer;
import dev.workbench.model.hf.CheckpointRef;
import dev.workbench.plan.TaskPlanner;
import dev.workbench.recipe.Corpus;
import dev.workbench.recipe.Finetune;
import dev.workbench.recipe.WorkbenchException;
import dev.workbench.store.Metric;
import dev.workbench.store.RunFolder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code workbench score}: the lm-evaluation-harness {@code loglikelihood_rolling} use case for any language model and
 * any text. Documents are scored with {@link LanguageModelEvaluation#score} (every token predicted once, rolling
 * non-overlapping windows over the model's context), and the corpus figures are ratios of sums as in lm-eval's
 * perplexity tasks: {@code bits_per_byte = −Σll / Σbytes / ln 2}, byte perplexity {@code exp(−Σll / Σbytes)}, word
 * perplexity {@code exp(−Σll / Σwords)}, token perplexity {@code exp(−Σll / Σtokens)}. Only the byte-level figures
 * compare across tokenizers, which is why the token figure carries the tokenizer's name and vocabulary size.
 */
public final class TextScoring {
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private TextScoring() {
    }

    /** Corpus-level scores of one model on one text file. {@code nllNats} is −Σ ln p over every predicted token. */
    public record TextScore(String checkpoint, String tokenizer, int vocabSize, int contextLength, long documents,
                            long bytes, long words, long tokens, double nllNats) {
        public double bitsPerByte() {
            return nllNats / Math.log(2) / bytes;
        }

        public double bytePerplexity() {
            return Math.exp(nllNats / bytes);
        }

        public double wordPerplexity() {
            return words == 0 ? Double.NaN : Math.exp(nllNats / words);
        }

        public double tokenPerplexity() {
            return Math.exp(nllNats / tokens);
        }

        /** Keys in a fixed order, for {@code --json}. */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("checkpoint", checkpoint);
            m.put(Metric.BITS_PER_BYTE.key(), bitsPerByte());
            m.put("byte_perplexity", bytePerplexity());
            m.put(Metric.WORD_PERPLEXITY.key(), wordPerplexity());
            m.put(Metric.TOKEN_PERPLEXITY.key(), tokenPerplexity());
            m.put("tokenizer", tokenizer);
            m.put("vocab_size", vocabSize);
            m.put("context_length", contextLength);
            m.put("documents", documents);
            m.put("bytes", bytes);
            m.put("words", words);
            m.put("tokens", tokens);
            m.put("nll_nats", nllNats);
            return m;
        }

        public String text() {
            return String.format(Locale.ROOT, """
                    checkpoint        %s
                    bits_per_byte     %.6f
                    byte_perplexity   %.6f
                    word_perplexity   %.6f
                    token_perplexity  %.6f   (tokenizer %s, vocab %d; compare only with the same tokenizer)
                    documents         %d
                    bytes             %d
                    words             %d
                    tokens            %d
                    context_length    %d
                    """, checkpoint, bitsPerByte(), bytePerplexity(), wordPerplexity(), tokenPerplexity(), tokenizer,
                    vocabSize, documents, bytes, words, tokens, contextLength);
        }
    }

    /** Whitespace-separated words, as lm-eval counts them for word perplexity. */
    public static long words(String text) {
        String trimmed = text.strip();
        return trimmed.isEmpty() ? 0 : WHITESPACE.split(trimmed).length;
    }

    /**
     * What {@code --checkpoint} names: {@code hf:DIR}, a checkpoint folder, or a run folder (its
     * {@code checkpoints/language_model/best}).
     */
    public static String checkpointReference(String reference) {
        if (reference.startsWith(CheckpointRef.HF_PREFIX)) {
            return reference;
        }
        Path folder = Path.of(reference);
        Path best = RunFolder.bestCheckpoint(folder, TaskPlanner.folderName(Finetune.Task.LANGUAGE_MODEL));
        if (Files.isDirectory(folder) && !Files.exists(folder.resolve(CheckpointIO.CONFIG))
                && Files.isDirectory(best)) {
            return best.toString();
        }
        return reference;
    }

    /** Scores every document of {@code textFile} (txt: documents separated by blank lines). */
    public static TextScore score(String checkpoint, Path textFile, int batchSize) {
        if (!Files.isRegularFile(textFile)) {
            throw WorkbenchException.invalid(textFile + ": no such text file");
        }
        if (batchSize < 1) {
            throw WorkbenchException.invalid("--batch-size must be at least 1, got " + batchSize);
        }
        Loaded<TextDocument> loaded = new CorpusLoader(Corpus.BadRowPolicy.ERROR)
                .loadText(new Corpus.TextSource(textFile, Corpus.Format.TXT, null), Optional.empty());
        List<TextDocument> documents = loaded.items();
        String resolved = checkpointReference(checkpoint);
        CheckpointRef ref = CheckpointRef.resolve(resolved);
        Tokenizer tokenizer = ref.loadTokenizer();
        int context = ref.architecture().contextLength();
        try (NDManager manager = NDManager.newBaseManager()) {
            LanguageModel model = ref.loadLanguageModel(manager);
            List<LanguageModelEvaluation.DocumentScore> scores = LanguageModelEvaluation.score(model, tokenizer,
                    documents, context, batchSize, manager.getDevice());
            LanguageModelEvaluation.Summary s = LanguageModelEvaluation.Summary.of(scores);
            long words = documents.stream().mapToLong(d -> words(d.text())).sum();
            return new TextScore(resolved, tokenizerName(tokenizer), tokenizer.vocabSize(), context, s.documents(),
                    s.bytes(), words, s.tokens(), s.nllNats());
        }
    }

    static String tokenizerName(Tokenizer tokenizer) {
        if (tokenizer instanceof ByteTokenizer) {
            return "byte";
        }
        if (tokenizer instanceof BpeTokenizer) {
            return "byte-level BPE";
        }
        if (tokenizer instanceof HfTokenizer hf) {
            return "Hugging Face " + hf.modelType();
        }
        return tokenizer.getClass().getSimpleName();
    }
}
