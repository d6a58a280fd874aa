package dev.workbench.finetune;

import dev.workbench.data.LabelledExample;
import dev.workbench.model.bert.BertFixtures;
import dev.workbench.model.tokenizer.ByteTokenizer;
import dev.workbench.model.tokenizer.HfTokenizer;
import dev.workbench.model.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A classifier sees each text as its tokenizer presents one text to the model (BERT: {@code [CLS] .. [SEP]}), and a
 * text longer than the context loses its last text tokens, not the special tokens around them (as transformers
 * truncates); tokenizers that add nothing cut as before.
 */
class ClassifierEncodingTest {
    @Test
    void anEncodersTextKeepsClsAndSepWhenCut() {
        Tokenizer bert = HfTokenizer.load(BertFixtures.folder("bert"), OptionalInt.empty());
        String text = "the cat sat on the mat. the dog ate the bone.";
        int[] full = bert.encodeWithSpecialTokens(text);
        int[] plain = bert.encode(text);
        assertEquals(plain.length + 2, full.length);
        assertArrayEquals(full, ClassifierTask.Encoded.truncated(bert, text, 100), "fits: unchanged");
        int[] cut = ClassifierTask.Encoded.truncated(bert, text, 6);
        int[] expected = {full[0], plain[0], plain[1], plain[2], plain[3], full[full.length - 1]};
        assertArrayEquals(expected, cut, "[CLS] + the first 4 text tokens + [SEP]");

        ClassifierTask.Encoded encoded = ClassifierTask.Encoded.of(List.of(new LabelledExample("1", text, "b"),
                new LabelledExample("2", "", "a")), List.of("a", "b"), bert, 6);
        assertArrayEquals(cut, encoded.ids().get(0));
        assertEquals(2, encoded.ids().get(1).length, "an empty text is [CLS] [SEP]");
        assertArrayEquals(new int[] {1, 0}, encoded.classes());
    }

    @Test
    void aTokenizerThatAddsNothingCutsTheEnd() {
        Tokenizer bytes = new ByteTokenizer();
        assertArrayEquals(Arrays.copyOf(bytes.encode("hello world"), 4),
                ClassifierTask.Encoded.truncated(bytes, "hello world", 4));
        assertArrayEquals(new int[] {bytes.endOfTextId()}, ClassifierTask.Encoded.truncated(bytes, "", 4));
    }
}
