package dev.workbench.model.tokenizer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A tiny tokenizer.json laid out like GPT-2's on the Hugging Face hub, written out as text here (not through
 * {@link TokenizerJson}): base tokens in GPT-2's id order, merges as "a b" strings, {@code <|endoftext|>} in both the
 * vocabulary and added_tokens, the ByteLevel post-processor GPT-2 has.
 */
public final class Gpt2StyleFile {

    /** GPT-2's base ids: bytes '!'..'~' are 0..93, 0xA1..0xAC 94..105, 0xAE..0xFF 106..187, the rest 188..255. */
    static int baseId(int b) {
        if (b >= '!' && b <= '~') {
            return b - '!';
        }
        if (b >= 0xA1 && b <= 0xAC) {
            return 94 + b - 0xA1;
        }
        if (b >= 0xAE && b <= 0xFF) {
            return 106 + b - 0xAE;
        }
        int rank = 0; // position among the 68 non-printable bytes, in byte order
        for (int c = 0; c < b; c++) {
            boolean printable = (c >= '!' && c <= '~') || (c >= 0xA1 && c <= 0xAC) || (c >= 0xAE && c <= 0xFF);
            if (!printable) {
                rank++;
            }
        }
        return 188 + rank;
    }

    /** Written exactly as GPT-2's bytes_to_unicode in encoder.py: printable bytes keep their code point, others 256+. */
    static char charOf(int b) {
        int id = baseId(b);
        return id < 188 ? (char) b : (char) (256 + id - 188);
    }

    /** Merges by rank, with the ids their results get (256 + rank). */
    static final String[] MERGES = {
        "Ġ t",      // 0 -> 256 "Ġt"
        "h e",      // 1 -> 257 "he"
        "Ġt he",    // 2 -> 258 "Ġthe"
        "l l",      // 3 -> 259 "ll"
        "Ġ w",      // 4 -> 260 "Ġw"
        "o r",      // 5 -> 261 "or"
        "Ġw or",    // 6 -> 262 "Ġwor"
        "l d",      // 7 -> 263 "ld"
        "Ġwor ld",  // 8 -> 264 "Ġworld"
        "e l",      // 9 -> 265 "el"  (ranked after "l l": "ell" must become e + ll, not el + l)
        "a a",      // 10 -> 266 "aa"
    };
    static final int END_OF_TEXT_ID = 256 + MERGES.length;

    public static Path write(Path folder, boolean addPrefixSpace) throws IOException {
        return write(folder, addPrefixSpace, true, false);
    }

    /** With the ByteLevel {@code use_regex} and BPE {@code ignore_merges} flags too. */
    static Path write(Path folder, boolean addPrefixSpace, boolean useRegex, boolean ignoreMerges) throws IOException {
        StringBuilder vocab = new StringBuilder();
        for (int b = 0; b < 256; b++) {
            vocab.append(vocab.length() == 0 ? "" : ",\n      ").append(quote(String.valueOf(charOf(b))))
                    .append(": ").append(baseId(b));
        }
        StringBuilder merges = new StringBuilder();
        for (int rank = 0; rank < MERGES.length; rank++) {
            String[] parts = MERGES[rank].split(" ");
            vocab.append(",\n      ").append(quote(parts[0] + parts[1])).append(": ").append(256 + rank);
            merges.append(rank == 0 ? "" : ", ").append(quote(MERGES[rank]));
        }
        vocab.append(",\n      \"<|endoftext|>\": ").append(END_OF_TEXT_ID);
        String json = "{\n"
                + "  \"version\": \"1.0\",\n"
                + "  \"truncation\": null,\n"
                + "  \"padding\": null,\n"
                + "  \"added_tokens\": [{\"id\": " + END_OF_TEXT_ID + ", \"special\": true, \"content\": \"<|endoftext|>\","
                + " \"single_word\": false, \"lstrip\": false, \"rstrip\": false, \"normalized\": true}],\n"
                + "  \"normalizer\": null,\n"
                + "  \"pre_tokenizer\": {\"type\": \"ByteLevel\", \"add_prefix_space\": " + addPrefixSpace
                + ", \"trim_offsets\": true, \"use_regex\": " + useRegex + "},\n"
                + "  \"post_processor\": {\"type\": \"ByteLevel\", \"add_prefix_space\": true, \"trim_offsets\": false},\n"
                + "  \"decoder\": {\"type\": \"ByteLevel\", \"add_prefix_space\": true, \"trim_offsets\": true},\n"
                + "  \"model\": {\n"
                + "    \"type\": \"BPE\", \"dropout\": null, \"unk_token\": null, \"continuing_subword_prefix\": \"\",\n"
                + "    \"end_of_word_suffix\": \"\", \"fuse_unk\": false, \"ignore_merges\": " + ignoreMerges + ",\n"
                + "    \"vocab\": {\n      " + vocab + "\n    },\n"
                + "    \"merges\": [" + merges + "]\n"
                + "  }\n"
                + "}\n";
        Files.createDirectories(folder);
        Path file = folder.resolve("tokenizer.json");
        Files.writeString(file, json, StandardCharsets.UTF_8);
        return file;
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    private Gpt2StyleFile() {
    }
}
