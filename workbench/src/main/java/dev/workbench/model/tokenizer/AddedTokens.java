package dev.workbench.model.tokenizer;

import java.util.List;

/**
 * Added tokens such as {@code <|endoftext|>}: matched in the raw text before pre-tokenization, leftmost and then
 * longest first, as the Hugging Face library does. So a text that literally contains {@code <|endoftext|>} encodes
 * to the special id (that keeps our ids identical to the library's), and BPE never sees that text.
 */
final class AddedTokens {

    /** One entry of {@code added_tokens} in tokenizer.json. */
    record Token(int id, String content, boolean special) {
    }

    /** Receives the text between added tokens and the ids of the tokens, in order. */
    interface Sink {
        void text(int start, int end);

        void token(int id);
    }

    private final List<Token> tokens;

    AddedTokens(List<Token> tokens) {
        for (Token t : tokens) {
            if (t.content().isEmpty()) {
                throw new IllegalArgumentException("empty added token with id " + t.id());
            }
        }
        this.tokens = List.copyOf(tokens);
    }

    List<Token> tokens() {
        return tokens;
    }

    /** Calls {@code sink} for every stretch of plain text (never empty) and every added token in {@code text}. */
    void split(String text, Sink sink) {
        int k = tokens.size();
        int[] next = new int[k];
        for (int t = 0; t < k; t++) {
            next[t] = text.indexOf(tokens.get(t).content());
        }
        int pos = 0;
        while (true) {
            int best = -1;
            for (int t = 0; t < k; t++) {
                if (next[t] < 0) {
                    continue;
                }
                if (best < 0 || next[t] < next[best]
                        || (next[t] == next[best]
                        && tokens.get(t).content().length() > tokens.get(best).content().length())) {
                    best = t;
                }
            }
            if (best < 0) {
                break;
            }
            int start = next[best];
            if (start > pos) {
                sink.text(pos, start);
            }
            sink.token(tokens.get(best).id());
            pos = start + tokens.get(best).content().length();
            for (int t = 0; t < k; t++) {
                if (next[t] >= 0 && next[t] < pos) {
                    next[t] = text.indexOf(tokens.get(t).content(), pos);
                }
            }
        }
        if (pos < text.length()) {
            sink.text(pos, text.length());
        }
    }
}
