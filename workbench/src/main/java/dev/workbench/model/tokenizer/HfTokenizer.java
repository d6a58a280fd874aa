package dev.workbench.model.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.workbench.recipe.WorkbenchException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Any Hugging Face {@code tokenizer.json} (byte-level BPE as in GPT-2, Llama 3 and Qwen; SentencePiece-style BPE with
 * byte fallback or Unigram with a Metaspace pre-tokenizer as in Llama 2 and Mistral; WordPiece as in BERT; WordLevel),
 * run by the Hugging Face {@code tokenizers} library through DJL's binding ({@link HuggingFaceTokenizer}), so the ids
 * are the library's own. Family-independent: decoders and encoders of every family use it for a folder that has a
 * tokenizer.json; the workbench's own {@link BpeTokenizer} stays for tokenizers it trains.
 *
 * <p>Special tokens come from {@code tokenizer_config.json} next to it, as {@code transformers} reads them:
 * {@code bos_token}, {@code eos_token}, {@code pad_token}, {@code cls_token}, {@code sep_token}, {@code unk_token}
 * (a string or an {@code {"content": ...}} object) and {@code add_bos_token} / {@code add_eos_token}. Each named token
 * must exist in the tokenizer (else the folder is refused, naming the key).
 *
 * <p>Two encodings: {@link #encode} gives the text's tokens only (what the workbench packs into training windows, with
 * {@link #endOfTextId} between documents); {@link #encodeWithSpecialTokens} gives what {@code transformers}'
 * {@code tokenizer(text)} gives (BERT's {@code [CLS] ... [SEP]}, Llama's leading {@code <s>}).
 *
 * <p>The DJL instance is created without DJL's own reading of tokenizer_config.json (which would lower-case, strip
 * accents or add a prefix space in Java, outside the library) and with truncation and padding off: the workbench cuts
 * windows itself, and DJL's default truncates silently at 512 tokens. The native tokenizer is freed by DJL's
 * finalizer when this object is unreachable.
 */
public final class HfTokenizer implements Tokenizer {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** tokenizer.json is read whole (Qwen2.5's is 7 MB, Llama 3's 9 MB); bounded against a wrong file. */
    private static final long MAX_TOKENIZER_BYTES = 256L << 20;
    private static final long MAX_CONFIG_BYTES = 16L << 20;
    private static final List<String> ROLES = List.of("bos_token", "eos_token", "pad_token", "cls_token", "sep_token",
            "unk_token");
    /**
     * End-of-text tokens recognised when no tokenizer_config.json names one (GPT-2 and Llama 3 style; BERT's [SEP]:
     * bert-base-uncased's and distilbert-base-uncased's tokenizer_config.json name no special token, transformers'
     * BertTokenizer has them as class defaults).
     */
    private static final List<String> KNOWN_END_OF_TEXT = List.of("<|endoftext|>", "<|end_of_text|>", "</s>",
            "[SEP]");

    private final HuggingFaceTokenizer tokenizer;
    private final String json;
    /** tokenizer_config.json as read, or null when the folder had none. */
    private final String configText;
    private final String modelType;
    private final int vocabSize;
    private final SpecialTokens special;

    /**
     * Special token ids, -1 where the tokenizer has none.
     *
     * @param addBos null when tokenizer_config.json does not say (then the tokenizer.json post-processor decides what
     *     {@link #encodeWithSpecialTokens} adds), else whether a {@code bos} id leads every encoding
     * @param addEos the same for a trailing {@code eos}
     */
    public record SpecialTokens(int bos, int eos, int pad, int cls, int sep, int unk, Boolean addBos,
                                Boolean addEos) {
        /** The token written at the end of a document: eos, else (encoders) sep. */
        public int endOfText() {
            return eos >= 0 ? eos : sep;
        }
    }

    private HfTokenizer(HuggingFaceTokenizer tokenizer, String json, String configText, String modelType,
                        int vocabSize, SpecialTokens special) {
        this.tokenizer = tokenizer;
        this.json = json;
        this.configText = configText;
        this.modelType = modelType;
        this.vocabSize = vocabSize;
        this.special = special;
    }

    /** True when {@code folderOrFile} is (or holds) a tokenizer.json. */
    public static boolean isPresent(Path folderOrFile) {
        return Files.isRegularFile(Files.isDirectory(folderOrFile) ? folderOrFile.resolve(FILE) : folderOrFile);
    }

    /**
     * Reads {@code folder/tokenizer.json} and, when present, {@code folder/tokenizer_config.json}.
     *
     * @param endOfTextFallback the end-of-text id to use when tokenizer_config.json names no eos_token (config.json's
     *     {@code eos_token_id}); empty when unknown
     * @throws WorkbenchException ENVIRONMENT when tokenizer.json is missing or unreadable; INVALID_INPUT, naming the
     *     file and key, when it is malformed, a special token it names does not exist, or no end-of-text token is found
     */
    public static HfTokenizer load(Path folder, OptionalInt endOfTextFallback) {
        Path file = folder.resolve(FILE);
        String json = readBounded(file, MAX_TOKENIZER_BYTES, true);
        JsonNode root = parse(json, file);
        Map<String, Integer> ids = new HashMap<>();
        String modelType = root.path("model").path("type").asText("");
        int maxId = vocabulary(root, file, modelType, ids);
        Path configFile = folder.resolve(CONFIG_FILE);
        String configText = Files.isRegularFile(configFile) ? readBounded(configFile, MAX_CONFIG_BYTES, false) : null;
        JsonNode config = configText != null ? parse(configText, configFile) : JSON.createObjectNode();
        int[] roleIds = new int[ROLES.size()];
        for (int r = 0; r < ROLES.size(); r++) {
            String role = ROLES.get(r);
            String content = tokenContent(config.get(role), configFile, role);
            roleIds[r] = -1;
            if (content != null) {
                Integer id = ids.get(content);
                if (id == null) {
                    throw WorkbenchException.invalid(configFile + ": " + role + " '" + content + "' is not a token of "
                            + file);
                }
                roleIds[r] = id;
            }
        }
        int eos = roleIds[1];
        if (eos < 0 && roleIds[4] < 0) { // neither eos nor sep named: a well-known end-of-text token, else config.json's
            for (String known : KNOWN_END_OF_TEXT) {
                if (ids.containsKey(known)) {
                    eos = ids.get(known);
                    break;
                }
            }
            if (eos < 0 && endOfTextFallback.isPresent()) {
                eos = endOfTextFallback.getAsInt();
            }
        }
        SpecialTokens special = new SpecialTokens(roleIds[0], eos, roleIds[2], roleIds[3], roleIds[4], roleIds[5],
                flag(config, "add_bos_token", configFile), flag(config, "add_eos_token", configFile));
        if (special.endOfText() < 0) {
            throw WorkbenchException.invalid(folder + ": the tokenizer has no end-of-text token: "
                    + CONFIG_FILE + " names no eos_token or sep_token and " + FILE + " has none of "
                    + KNOWN_END_OF_TEXT);
        }
        if (special.addBos() == Boolean.TRUE && special.bos() < 0) {
            throw WorkbenchException.invalid(configFile + ": add_bos_token is true but no bos_token is named");
        }
        if (special.addEos() == Boolean.TRUE && special.eos() < 0) {
            throw WorkbenchException.invalid(configFile + ": add_eos_token is true but no eos_token is named");
        }
        int vocabSize = Math.max(maxId, special.endOfText()) + 1;
        return new HfTokenizer(create(json, file), json, configText, modelType, vocabSize, special);
    }

    private static HuggingFaceTokenizer create(String json, Path file) {
        // no TokenizerConfig: DJL would otherwise apply parts of tokenizer_config.json in Java (see class comment)
        Map<String, String> options = Map.of("addSpecialTokens", "false", "truncation", "false",
                "padding", "false", "maxLength", "-1");
        try {
            return HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)),
                    options);
        } catch (IOException | RuntimeException e) {
            throw WorkbenchException.invalid(file + ": the tokenizers library cannot load it: " + e.getMessage());
        }
    }

    /** Fills {@code ids} (token -> id) from the model's vocabulary and added_tokens; returns the largest id. */
    private static int vocabulary(JsonNode root, Path file, String modelType, Map<String, Integer> ids) {
        JsonNode vocab = root.path("model").path("vocab");
        int maxId = -1;
        switch (modelType) {
            case "BPE", "WordPiece", "WordLevel" -> {
                if (!vocab.isObject()) {
                    throw WorkbenchException.invalid(file + ": model.vocab of a " + modelType
                            + " model must be an object");
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> entry = it.next();
                    int id = requireId(entry.getValue(), file, entry.getKey());
                    ids.put(entry.getKey(), id);
                    maxId = Math.max(maxId, id);
                }
            }
            case "Unigram" -> {
                if (!vocab.isArray()) {
                    throw WorkbenchException.invalid(file + ": model.vocab of a Unigram model must be an array");
                }
                for (int id = 0; id < vocab.size(); id++) {
                    ids.put(vocab.get(id).path(0).asText(), id);
                }
                maxId = vocab.size() - 1;
            }
            default -> throw WorkbenchException.invalid(file + ": model type '" + modelType
                    + "' is not one the workbench reads (BPE, WordPiece, WordLevel, Unigram)");
        }
        for (JsonNode added : root.path("added_tokens")) {
            int id = requireId(added.path("id"), file, added.path("content").asText());
            ids.put(added.path("content").asText(), id);
            maxId = Math.max(maxId, id);
        }
        return maxId;
    }

    private static int requireId(JsonNode node, Path file, String token) {
        if (!node.isIntegralNumber() || node.asLong() < 0 || node.asLong() > 16_000_000) {
            throw WorkbenchException.invalid(file + ": token '" + token + "' has id " + node
                    + "; ids are integers from 0 to 16,000,000");
        }
        return node.asInt();
    }

    /** A special token as tokenizer_config.json writes it: a string, an AddedToken object, or null. */
    private static String tokenContent(JsonNode node, Path file, String key) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isObject() && node.path("content").isTextual()) {
            return node.path("content").asText();
        }
        throw WorkbenchException.invalid(file + ": " + key + " must be a string or an object with \"content\", got "
                + node);
    }

    private static Boolean flag(JsonNode config, String key, Path file) {
        JsonNode node = config.get(key);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isBoolean()) {
            throw WorkbenchException.invalid(file + ": " + key + " must be true or false, got " + node);
        }
        return node.asBoolean();
    }

    private static String readBounded(Path file, long limit, boolean required) {
        try {
            if (!Files.isRegularFile(file)) {
                throw WorkbenchException.environment(file + ": tokenizer file not found");
            }
            if (Files.size(file) > limit) {
                throw WorkbenchException.invalid(file + ": " + Files.size(file) + " bytes, more than the " + limit
                        + " a tokenizer file may have");
            }
            return Files.readString(file);
        } catch (IOException e) {
            throw new WorkbenchException(required ? WorkbenchException.Kind.ENVIRONMENT
                    : WorkbenchException.Kind.INVALID_INPUT, file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static JsonNode parse(String text, Path file) {
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null || !node.isObject()) {
                throw WorkbenchException.invalid(file + ": not a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw WorkbenchException.invalid(file + ": not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** The text's tokens, without any special token added (a special token written in the text is still one). */
    @Override
    public int[] encode(String text) {
        return toInts(tokenizer.encode(text, false, false).getIds());
    }

    /**
     * What {@code transformers}' {@code tokenizer(text)["input_ids"]} gives: with {@code add_bos_token} /
     * {@code add_eos_token} in tokenizer_config.json, the text's tokens between those (as transformers rebuilds the
     * post-processor from them); otherwise tokenizer.json's post-processor (BERT's {@code [CLS] .. [SEP]}).
     */
    @Override
    public int[] encodeWithSpecialTokens(String text) {
        if (special.addBos() == null && special.addEos() == null) {
            return toInts(tokenizer.encode(text, true, false).getIds());
        }
        int[] plain = encode(text);
        boolean bos = special.addBos() == Boolean.TRUE;
        boolean eos = special.addEos() == Boolean.TRUE;
        int[] ids = new int[plain.length + (bos ? 1 : 0) + (eos ? 1 : 0)];
        if (bos) {
            ids[0] = special.bos();
        }
        System.arraycopy(plain, 0, ids, bos ? 1 : 0, plain.length);
        if (eos) {
            ids[ids.length - 1] = special.eos();
        }
        return ids;
    }

    /**
     * The text of {@code ids}, special tokens included (as transformers' {@code decode} by default). An id the
     * tokenizer does not have (a model whose embedding is padded beyond the vocabulary, as Qwen's, can emit one)
     * contributes nothing, as in the library.
     */
    @Override
    public String decode(int[] ids) {
        long[] longs = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0) {
                throw new IllegalArgumentException("token id " + ids[i] + " is negative");
            }
            longs[i] = ids[i];
        }
        return tokenizer.decode(longs, false);
    }

    @Override
    public int vocabSize() {
        return vocabSize;
    }

    @Override
    public int endOfTextId() {
        return special.endOfText();
    }

    public SpecialTokens specialTokens() {
        return special;
    }

    /** tokenizer.json's model type: BPE, WordPiece, WordLevel or Unigram. */
    public String modelType() {
        return modelType;
    }

    /**
     * Writes tokenizer.json and tokenizer_config.json exactly as they were read (a chat template and other keys
     * travel with them); a folder that had no tokenizer_config.json gets one naming the special tokens found, so that
     * {@link #load} of the folder, and transformers, give the same ids and end-of-text.
     */
    @Override
    public void save(Path folder) throws IOException {
        Files.writeString(folder.resolve(FILE), json);
        if (configText != null) {
            Files.writeString(folder.resolve(CONFIG_FILE), configText);
            return;
        }
        Map<Integer, String> contents = new HashMap<>();
        JsonNode root = parse(json, folder.resolve(FILE));
        JsonNode vocab = root.path("model").path("vocab");
        int[] wanted = {special.bos(), special.eos(), special.pad(), special.cls(), special.sep(), special.unk()};
        for (JsonNode added : root.path("added_tokens")) {
            contents.put(added.path("id").asInt(), added.path("content").asText());
        }
        if (vocab.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                contents.putIfAbsent(entry.getValue().asInt(), entry.getKey());
            }
        } else {
            for (int id : wanted) {
                if (id >= 0 && id < vocab.size()) {
                    contents.putIfAbsent(id, vocab.get(id).path(0).asText());
                }
            }
        }
        ObjectNode config = JSON.createObjectNode();
        for (int r = 0; r < ROLES.size(); r++) {
            if (wanted[r] >= 0 && contents.containsKey(wanted[r])) {
                config.put(ROLES.get(r), contents.get(wanted[r]));
            }
        }
        if (special.addBos() != null) {
            config.put("add_bos_token", special.addBos());
        }
        if (special.addEos() != null) {
            config.put("add_eos_token", special.addEos());
        }
        config.put("tokenizer_class", "PreTrainedTokenizerFast");
        Files.writeString(folder.resolve(CONFIG_FILE), JSON.writeValueAsString(config) + "\n");
    }

    private static int[] toInts(long[] ids) {
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.toIntExact(ids[i]);
        }
        return out;
    }

    @Override
    public String toString() {
        return "HfTokenizer[" + modelType + ", vocab=" + vocabSize + ", eos=" + endOfTextId() + "]";
    }
}
