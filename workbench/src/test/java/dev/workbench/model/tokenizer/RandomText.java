package dev.workbench.model.tokenizer;

import java.util.Random;

/** Random strings for round-trip tests: ASCII, Latin-1, CJK, emoji, whitespace of all kinds, contractions. */
final class RandomText {
    private static final String[] PIECES = {
        "a", "Z", "é", "ß", "東", "字", "😀", "👩‍👧", " ", "  ", "\t", "\n", "\r\n", "\u00A0", "\u3000", "'s", "'ll",
        "'", "1", "42", "٣", "Ⅻ", ".", ",", "!?", "—", "the", " cat", "<|", "|>", "<|endoftext|>", "\uFFFD", "ℕ",
    };

    private RandomText() {
    }

    /** Up to {@code maxPieces} pieces, sometimes also a random BMP or supplementary code point. */
    static String unicode(Random random, int maxPieces) {
        StringBuilder sb = new StringBuilder();
        int pieces = random.nextInt(maxPieces + 1);
        for (int i = 0; i < pieces; i++) {
            int kind = random.nextInt(10);
            if (kind == 0) {
                int cp;
                do {
                    cp = random.nextInt(0x2FFFF);
                } while (Character.getType(cp) == Character.SURROGATE || Character.getType(cp) == Character.UNASSIGNED);
                sb.appendCodePoint(cp);
            } else {
                sb.append(PIECES[random.nextInt(PIECES.length)]);
            }
        }
        return sb.toString();
    }
}
