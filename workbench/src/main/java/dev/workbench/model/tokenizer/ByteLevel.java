package dev.workbench.model.tokenizer;

import java.nio.charset.StandardCharsets;

/**
 * GPT-2's byte-level conventions, shared by every tokenizer here so that their {@code tokenizer.json} files mean the
 * same thing to the Hugging Face {@code tokenizers} library: the byte-to-unicode map that makes every byte a printable
 * character in the vocabulary file, and the text-to-bytes rule.
 */
final class ByteLevel {

    /** Character that stands for each byte in vocabulary strings (GPT-2 {@code bytes_to_unicode}). */
    private static final char[] BYTE_TO_CHAR = new char[256];
    /** Inverse of {@link #BYTE_TO_CHAR}; -1 for characters that stand for no byte. Every mapped char is below 324. */
    private static final int[] CHAR_TO_BYTE = new int[324];

    static {
        // Printable Latin-1 bytes stand for themselves; the other 68 bytes get 256, 257, ... in byte order.
        java.util.Arrays.fill(CHAR_TO_BYTE, -1);
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = printable ? (char) b : (char) next++;
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = b;
        }
    }

    private ByteLevel() {
    }

    /** The character GPT-2 writes for {@code b} (0..255). */
    static char charOf(int b) {
        return BYTE_TO_CHAR[b & 0xFF];
    }

    /** Vocabulary string of a token made of {@code bytes}. */
    static String tokenString(byte[] bytes) {
        char[] chars = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            chars[i] = BYTE_TO_CHAR[bytes[i] & 0xFF];
        }
        return new String(chars);
    }

    /**
     * Bytes a vocabulary string stands for. Like the Hugging Face ByteLevel decoder: when any character is outside
     * the byte map (an added token such as {@code <|endoftext|>} is inside it, a CJK added token is not), the
     * string's own UTF-8 bytes are used instead.
     */
    static byte[] tokenBytes(String token) {
        byte[] bytes = new byte[token.length()];
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            int b = c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
            if (b < 0) {
                return token.getBytes(StandardCharsets.UTF_8);
            }
            bytes[i] = (byte) b;
        }
        return bytes;
    }

    /**
     * The text with every unpaired surrogate replaced by U+FFFD. A Java string may hold one; UTF-8 cannot, and the
     * JDK's encoder would silently write '?' instead. Replacing it first keeps the pre-tokenizer, the byte count and
     * the encoded bytes consistent (one U+FFFD = 3 bytes), and matches what Rust (the HF library) receives.
     */
    static String sanitize(String text) {
        int n = text.length();
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                i += 2;
            } else if (Character.isSurrogate(c)) {
                break;
            } else {
                i++;
            }
        }
        if (i == n) {
            return text;
        }
        StringBuilder sb = new StringBuilder(n).append(text, 0, i);
        while (i < n) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                sb.append(c).append(text.charAt(i + 1));
                i += 2;
            } else {
                sb.append(Character.isSurrogate(c) ? '\uFFFD' : c);
                i++;
            }
        }
        return sb.toString();
    }

    /** UTF-8 bytes of {@code text} after {@link #sanitize}. */
    static byte[] utf8(String text) {
        return sanitize(text).getBytes(StandardCharsets.UTF_8);
    }

    /** Number of UTF-8 bytes of {@code text} after {@link #sanitize}, without building them. */
    static long utf8Length(String text) {
        long bytes = 0;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3; // BMP char, or an unpaired surrogate that becomes U+FFFD
            }
        }
        return bytes;
    }

    /**
     * Reads UTF-8 with each ill-formed part replaced by one U+FFFD, using Unicode's "maximal subpart" rule exactly
     * as Rust's {@code String::from_utf8_lossy} (which the Hugging Face ByteLevel decoder calls). The JDK's decoder
     * sometimes replaces a different number of bytes (ED BB ... gives one U+FFFD there, two in Rust), and generated
     * ids can be any bytes, so decoded text would not match the library's otherwise.
     */
    static String decodeLossy(byte[] bytes, int length) {
        StringBuilder sb = new StringBuilder(length);
        int i = 0;
        while (i < length) {
            int b0 = bytes[i] & 0xFF;
            if (b0 < 0x80) {
                sb.append((char) b0);
                i++;
                continue;
            }
            int need;
            int lo = 0x80;
            int hi = 0xBF;
            if (b0 >= 0xC2 && b0 <= 0xDF) {
                need = 1;
            } else if (b0 >= 0xE0 && b0 <= 0xEF) {
                need = 2;
                lo = b0 == 0xE0 ? 0xA0 : 0x80;
                hi = b0 == 0xED ? 0x9F : 0xBF;
            } else if (b0 >= 0xF0 && b0 <= 0xF4) {
                need = 3;
                lo = b0 == 0xF0 ? 0x90 : 0x80;
                hi = b0 == 0xF4 ? 0x8F : 0xBF;
            } else {
                sb.append('\uFFFD');
                i++;
                continue;
            }
            int cp = b0 & (0x3F >> need);
            int j = i + 1;
            boolean ok = true;
            for (int k = 0; k < need; k++, j++) {
                int b = j < length ? bytes[j] & 0xFF : -1;
                int min = k == 0 ? lo : 0x80;
                int max = k == 0 ? hi : 0xBF;
                if (b < min || b > max) {
                    ok = false;
                    break;
                }
                cp = (cp << 6) | (b & 0x3F);
            }
            if (ok) {
                sb.appendCodePoint(cp);
            } else {
                sb.append('\uFFFD'); // the valid prefix [i, j) is one maximal subpart; resume at the byte that broke it
            }
            i = j;
        }
        return sb.toString();
    }
}
