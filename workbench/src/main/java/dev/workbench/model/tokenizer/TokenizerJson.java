package dev.workbench.model.tokenizer;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.workbench.recipe.WorkbenchException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes Hugging Face {@code tokenizer.json} for byte-level BPE. Writing produces what the library itself
 * serializes for a GPT-2-style tokenizer. Reading accepts our files and GPT-2/GPT-Neo-style files from the Hugging
 * Face hub and rejects anything whose ids we would not reproduce (another model type, a normalizer, another
 * pre-tokenizer, a post-processor that adds tokens, ...) with {@link WorkbenchException.Kind#INVALID_INPUT}.
 */
final class TokenizerJson {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Guards against a file that would make us allocate per-id arrays of absurd size. */
    private static final int MAX_ID = 16_000_000;

    private TokenizerJson() {
    }

    /** Writes {@code model} to {@code file} atomically (temporary file in the same folder, then a move). */
    static void write(BpeModel model, Path file) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (AddedTokens.Token t : model.addedTokens()) {
            ObjectNode a = added.addObject();
            a.put("id", t.id());
            a.put("content", t.content());
            a.put("single_word", false);
            a.put("lstrip", false);
            a.put("rstrip", false);
            a.put("normalized", false);
            a.put("special", t.special());
        }
        root.putNull("normalizer");
        byteLevel(root.putObject("pre_tokenizer"), model.addPrefixSpace(), model.useRegex());
        root.putNull("post_processor");
        byteLevel(root.putObject("decoder"), model.addPrefixSpace(), model.useRegex());
        ObjectNode bpe = root.putObject("model");
        bpe.put("type", "BPE");
        bpe.putNull("dropout");
        bpe.putNull("unk_token");
        bpe.putNull("continuing_subword_prefix");
        bpe.putNull("end_of_word_suffix");
        bpe.put("fuse_unk", false);
        bpe.put("byte_fallback", false);
        if (model.ignoreMerges()) {
            bpe.put("ignore_merges", true); // written only when set: older library versions do not know the key
        }
        ObjectNode vocab = bpe.putObject("vocab");
        for (int id = 0; id < model.vocab().size(); id++) {
            if (model.vocab().get(id) != null) {
                vocab.put(model.vocab().get(id), id);
            }
        }
        // "a b" strings (the classic form every library version reads) unless a token has a space in it.
        boolean tuples = false;
        for (int[] m : model.merges()) {
            tuples |= model.vocab().get(m[0]).indexOf(' ') >= 0 || model.vocab().get(m[1]).indexOf(' ') >= 0;
        }
        ArrayNode merges = bpe.putArray("merges");
        for (int[] m : model.merges()) {
            if (tuples) {
                merges.addArray().add(model.vocab().get(m[0])).add(model.vocab().get(m[1]));
            } else {
                merges.add(model.vocab().get(m[0]) + " " + model.vocab().get(m[1]));
            }
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".tokenizer", ".json.tmp");
        try {
            JSON.writeValue(tmp.toFile(), root);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void byteLevel(ObjectNode node, boolean addPrefixSpace, boolean useRegex) {
        node.put("type", "ByteLevel");
        node.put("add_prefix_space", addPrefixSpace);
        node.put("trim_offsets", true);
        node.put("use_regex", useRegex);
    }

    /** Parses and checks {@code file}. */
    static BpeModel read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr();
            throw WorkbenchException.invalid(file + where + ": not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new WorkbenchException(WorkbenchException.Kind.ENVIRONMENT, file + ": cannot read: " + e.getMessage(), e);
        }
        return new Reader(file).model(root);
    }

    /**
     * Reads the older GPT-2 pair {@code vocab.json} + {@code merges.txt} (hub folders that predate tokenizer.json),
     * as the {@code transformers} GPT-2 converter does: ByteLevel without prefix space, {@code <|endoftext|>} (when
     * in the vocabulary) as the special token.
     */
    static BpeModel readVocabAndMerges(Path vocabFile, Path mergesFile) {
        JsonNode vocabNode;
        List<String> lines;
        try {
            vocabNode = JSON.readTree(vocabFile.toFile());
            lines = Files.readAllLines(mergesFile, java.nio.charset.StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr();
            throw WorkbenchException.invalid(vocabFile + where + ": not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new WorkbenchException(WorkbenchException.Kind.ENVIRONMENT,
                    vocabFile + " / " + mergesFile + ": cannot read: " + e.getMessage(), e);
        }
        List<String> vocab = new Reader(vocabFile).vocab(vocabNode);
        Map<String, Integer> ids = new HashMap<>();
        for (int id = 0; id < vocab.size(); id++) {
            if (vocab.get(id) != null) {
                ids.put(vocab.get(id), id);
            }
        }
        List<int[]> merges = new ArrayList<>();
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n);
            if (line.isEmpty() || (n == 0 && line.startsWith("#version"))) {
                continue;
            }
            String[] parts = line.split(" ", -1);
            Integer l = parts.length == 2 ? ids.get(parts[0]) : null;
            Integer r = parts.length == 2 ? ids.get(parts[1]) : null;
            Integer joined = parts.length == 2 ? ids.get(parts[0] + parts[1]) : null;
            if (l == null || r == null || joined == null) {
                throw WorkbenchException.invalid(mergesFile + ":" + (n + 1) + ": \"" + line
                        + "\" is not two tokens of " + vocabFile.getFileName() + " whose join is also a token");
            }
            merges.add(new int[] {l, r, joined});
        }
        List<AddedTokens.Token> added = ids.containsKey(BpeTokenizer.END_OF_TEXT)
                ? List.of(new AddedTokens.Token(ids.get(BpeTokenizer.END_OF_TEXT), BpeTokenizer.END_OF_TEXT, true))
                : List.of();
        return new BpeModel(vocab, merges, added, false, true, false);
    }

    /** One file being read; every message names it. */
    private record Reader(Path file) {

        BpeModel model(JsonNode root) {
            if (root == null || !root.isObject()) {
                throw bad("the top level is not a JSON object");
            }
            if (isSet(root.get("normalizer"))) {
                throw unsupported("normalizer of type " + type(root.get("normalizer")));
            }
            JsonNode pre = root.get("pre_tokenizer");
            if (!isSet(pre) || !"ByteLevel".equals(type(pre))) {
                throw unsupported("pre_tokenizer " + (isSet(pre) ? "of type " + type(pre) : "missing (null)"));
            }
            JsonNode post = root.get("post_processor");
            if (isSet(post) && !"ByteLevel".equals(type(post))) {
                throw unsupported("post_processor of type " + type(post) + " (it would add tokens)");
            }
            JsonNode decoder = root.get("decoder");
            if (isSet(decoder) && !"ByteLevel".equals(type(decoder))) {
                throw unsupported("decoder of type " + type(decoder));
            }
            JsonNode model = root.get("model");
            if (model == null || !model.isObject()) {
                throw bad("no \"model\" object");
            }
            String modelType = model.has("type") ? model.get("type").asText() : (model.has("merges") ? "BPE" : "?");
            if (!"BPE".equals(modelType)) {
                throw unsupported("model type " + modelType);
            }
            if (isSet(model.get("dropout")) && model.get("dropout").asDouble() != 0.0) {
                throw unsupported("model.dropout " + model.get("dropout"));
            }
            for (String affix : List.of("continuing_subword_prefix", "end_of_word_suffix")) {
                if (isSet(model.get(affix)) && !model.get(affix).asText().isEmpty()) {
                    throw unsupported("model." + affix + " \"" + model.get(affix).asText() + "\"");
                }
            }
            List<String> vocab = vocab(model.get("vocab"));
            Map<String, Integer> ids = new HashMap<>();
            for (int id = 0; id < vocab.size(); id++) {
                if (vocab.get(id) != null) {
                    ids.put(vocab.get(id), id);
                }
            }
            boolean everyByte = true;
            for (int b = 0; b < 256; b++) {
                everyByte &= ids.containsKey(String.valueOf(ByteLevel.charOf(b)));
            }
            // Without an entry for every byte, unk_token / byte_fallback would change the ids; with one they never act.
            if (!everyByte && (isSet(model.get("unk_token")) || model.path("byte_fallback").asBoolean(false))) {
                throw unsupported("model.unk_token / byte_fallback with a vocabulary that lacks some of the 256 bytes");
            }
            List<int[]> merges = merges(model.get("merges"), ids);
            List<AddedTokens.Token> added = addedTokens(root.get("added_tokens"));
            return new BpeModel(vocab, merges, added, pre.path("add_prefix_space").asBoolean(false),
                    pre.path("use_regex").asBoolean(true), model.path("ignore_merges").asBoolean(false));
        }

        private List<String> vocab(JsonNode node) {
            if (node == null || !node.isObject()) {
                throw bad("model.vocab is not an object of token -> id");
            }
            List<String> vocab = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().canConvertToInt() || e.getValue().asInt() < 0 || e.getValue().asInt() > MAX_ID) {
                    throw bad("model.vocab[\"" + e.getKey() + "\"] is not an id in 0.." + MAX_ID + ": " + e.getValue());
                }
                int id = e.getValue().asInt();
                while (vocab.size() <= id) {
                    vocab.add(null);
                }
                if (vocab.get(id) != null) {
                    throw bad("model.vocab gives id " + id + " to both \"" + vocab.get(id) + "\" and \"" + e.getKey() + "\"");
                }
                vocab.set(id, e.getKey());
            }
            return vocab;
        }

        private List<int[]> merges(JsonNode node, Map<String, Integer> ids) {
            List<int[]> merges = new ArrayList<>();
            if (node == null || node.isNull()) {
                return merges;
            }
            if (!node.isArray()) {
                throw bad("model.merges is not an array");
            }
            for (int i = 0; i < node.size(); i++) {
                JsonNode m = node.get(i);
                String left;
                String right;
                if (m.isTextual()) {
                    String[] parts = m.asText().split(" ", -1);
                    if (parts.length != 2) {
                        throw bad("model.merges[" + i + "] \"" + m.asText() + "\" is not two tokens separated by one space");
                    }
                    left = parts[0];
                    right = parts[1];
                } else if (m.isArray() && m.size() == 2 && m.get(0).isTextual() && m.get(1).isTextual()) {
                    left = m.get(0).asText();
                    right = m.get(1).asText();
                } else {
                    throw bad("model.merges[" + i + "] is neither \"a b\" nor [\"a\", \"b\"]: " + m);
                }
                Integer l = ids.get(left);
                Integer r = ids.get(right);
                Integer joined = ids.get(left + right);
                if (l == null || r == null || joined == null) {
                    String missing = l == null ? left : r == null ? right : left + right;
                    throw bad("model.merges[" + i + "] needs token \"" + missing + "\", which is not in model.vocab");
                }
                merges.add(new int[] {l, r, joined});
            }
            return merges;
        }

        private List<AddedTokens.Token> addedTokens(JsonNode node) {
            List<AddedTokens.Token> added = new ArrayList<>();
            if (node == null || node.isNull()) {
                return added;
            }
            if (!node.isArray()) {
                throw bad("added_tokens is not an array");
            }
            for (int i = 0; i < node.size(); i++) {
                JsonNode t = node.get(i);
                if (!t.path("id").canConvertToInt() || t.path("id").asInt() < 0 || t.path("id").asInt() > MAX_ID
                        || !t.path("content").isTextual() || t.path("content").asText().isEmpty()) {
                    throw bad("added_tokens[" + i + "] needs an id in 0.." + MAX_ID + " and a non-empty content");
                }
                for (String flag : List.of("single_word", "lstrip", "rstrip")) {
                    if (t.path(flag).asBoolean(false)) {
                        throw unsupported("added_tokens[" + i + "] (\"" + t.get("content").asText() + "\") with " + flag + "=true");
                    }
                }
                added.add(new AddedTokens.Token(t.get("id").asInt(), t.get("content").asText(),
                        t.path("special").asBoolean(false)));
            }
            return added;
        }

        private static boolean isSet(JsonNode node) {
            return node != null && !node.isNull();
        }

        private static String type(JsonNode node) {
            return node.path("type").asText("(no type)");
        }

        WorkbenchException bad(String what) {
            return WorkbenchException.invalid(file + ": " + what);
        }

        WorkbenchException unsupported(String feature) {
            return WorkbenchException.invalid(file + ": unsupported " + feature
                    + "; only byte-level BPE (GPT-2 style: ByteLevel pre-tokenizer, no normalizer) can be loaded");
        }
    }
}
