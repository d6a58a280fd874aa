package dev.workbench.model.tokenizer;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

class Gpt2SplitTest {

    private static final Pattern REGEX = Pattern.compile(Gpt2Split.PATTERN, Pattern.UNICODE_CHARACTER_CLASS);

    private static List<String> split(String text) {
        List<String> pieces = new ArrayList<>();
        Gpt2Split.split(text, 0, text.length(), (s, e) -> pieces.add(text.substring(s, e)));
        return pieces;
    }

    private static List<String> regexSplit(String text) {
        List<String> pieces = new ArrayList<>();
        Matcher m = REGEX.matcher(text);
        while (m.find()) {
            pieces.add(m.group());
        }
        return pieces;
    }

    @Test
    void splitsLikeGpt2() {
        // Worked out from the regex by hand: a space joins the word after it; a run of spaces keeps its last space
        // for the next word; contractions split off; digits, letters and punctuation are separate runs.
        assertEquals(List.of("Hello", ",", " world", "!"), split("Hello, world!"));
        assertEquals(List.of("I", "'m", " here", "  ", " now"), split("I'm here   now"));
        assertEquals(List.of("x", "  ", "\n", "y"), split("x  \ny"));
        assertEquals(List.of("a", "\n\n", " b"), split("a\n\n b"));
        assertEquals(List.of("abc", "123", " 4", "?!", " '", "s"), split("abc123 4?! 's"));
        assertEquals(List.of("end", "   "), split("end   "));
        assertEquals(List.of("été", " 東京", "\u00A0", "x"), split("été 東京\u00A0x"));
    }

    @Test
    void matchesTheRegexOnRandomText() {
        Random random = new Random(11);
        for (int trial = 0; trial < 2000; trial++) {
            String text = ByteLevel.sanitize(RandomText.unicode(random, 30));
            assertEquals(regexSplit(text), split(text), () -> "text: " + text.codePoints()
                    .mapToObj(Integer::toHexString).toList());
        }
    }
}
