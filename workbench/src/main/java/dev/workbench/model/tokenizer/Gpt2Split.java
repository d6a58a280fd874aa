package dev.workbench.model.tokenizer;

/**
 * GPT-2's pre-tokenizer: splits text into the pieces inside which BPE merges happen. It is exactly the regular
 * expression {@link #PATTERN} (the one in GPT-2's {@code encoder.py} and in the Hugging Face ByteLevel pre-tokenizer,
 * where {@code \s}, {@code \p{L}} and {@code \p{N}} are Unicode classes), hand-coded because {@code java.util.regex}
 * with Unicode classes is several times slower and pre-tokenizing is most of the encoding time. A test checks this
 * scanner against the regex on random text.
 */
final class Gpt2Split {

    /** The GPT-2 split, for reference and for the equivalence test (compile with UNICODE_CHARACTER_CLASS). */
    static final String PATTERN = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

    /** Receives each piece as a [start, end) range of the text. */
    interface Sink {
        void piece(int start, int end);
    }

    private static final int LETTER = 1;
    private static final int NUMBER = 2;
    private static final int SPACE = 3;
    private static final int OTHER = 4;
    private static final byte[] ASCII = new byte[128];

    static {
        for (int c = 0; c < 128; c++) {
            ASCII[c] = (byte) classOfSlow(c);
        }
    }

    private Gpt2Split() {
    }

    /** Splits {@code text[from, to)} as if it were the whole input (the end of the range ends the input). */
    static void split(String text, int from, int to, Sink sink) {
        int i = from;
        while (i < to) {
            char c = text.charAt(i);
            if (c == '\'' && i + 1 < to) {
                int len = contraction(text, i, to);
                if (len > 0) {
                    sink.piece(i, i + len);
                    i += len;
                    continue;
                }
            }
            int runStart = i;
            int cls;
            if (c == ' ' && i + 1 < to && classOf(text.codePointAt(i + 1)) != SPACE) {
                runStart = i + 1; // " ?X+": the optional leading space joins the run that follows it
                cls = classOf(text.codePointAt(runStart));
            } else {
                cls = classOf(text.codePointAt(i));
            }
            int end = runEnd(text, runStart, to, cls);
            if (cls == SPACE && end < to && end - i > 1) {
                end--; // "\s+(?!\S)": leave the last space to prefix the word that follows
            }
            sink.piece(i, end);
            i = end;
        }
    }

    /** Length of {@code 's 't 're 've 'm 'll 'd} at {@code i}, or 0. Case-sensitive, like GPT-2. */
    private static int contraction(String text, int i, int to) {
        char a = text.charAt(i + 1);
        if (a == 's' || a == 't' || a == 'm' || a == 'd') {
            return 2;
        }
        if (i + 2 < to) {
            char b = text.charAt(i + 2);
            if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l')) {
                return 3;
            }
        }
        return 0;
    }

    private static int runEnd(String text, int i, int to, int cls) {
        while (i < to) {
            int cp = text.codePointAt(i);
            if (classOf(cp) != cls) {
                break;
            }
            i += Character.charCount(cp);
        }
        return Math.min(i, to);
    }

    private static int classOf(int cp) {
        return cp < 128 ? ASCII[cp] : classOfSlow(cp);
    }

    private static int classOfSlow(int cp) {
        int type = Character.getType(cp);
        switch (type) {
            case Character.UPPERCASE_LETTER:
            case Character.LOWERCASE_LETTER:
            case Character.TITLECASE_LETTER:
            case Character.MODIFIER_LETTER:
            case Character.OTHER_LETTER:
                return LETTER;
            case Character.DECIMAL_DIGIT_NUMBER:
            case Character.LETTER_NUMBER:
            case Character.OTHER_NUMBER:
                return NUMBER;
            case Character.SPACE_SEPARATOR:
            case Character.LINE_SEPARATOR:
            case Character.PARAGRAPH_SEPARATOR:
                return SPACE;
            default:
                // Unicode White_Space = Zs, Zl, Zp plus U+0009..U+000D and U+0085 (Oniguruma's and Java's \s).
                return (cp >= 0x9 && cp <= 0xD) || cp == 0x85 ? SPACE : OTHER;
        }
    }
}
