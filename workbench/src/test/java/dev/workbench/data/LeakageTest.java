package dev.workbench.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class LeakageTest {

    @Test
    void normalisesCaseAndWhitespace() {
        assertEquals("hello big world", Leakage.normalise("  Hello\t BIG\n\nworld \u00A0"));
        assertEquals("a|b|", Leakage.rowKey(List.of(" A", "b  ")).replace('\u001F', '|'));
    }

    @Test
    void findsDuplicatesWithinAndAcrossSplits() {
        Splits<String> splits = new Splits<>(
                List.of("Card lost", "card  LOST", "new pin"),
                List.of("New PIN", "other"),
                List.of("card lost", "other", "fresh"));
        Leakage.Report report = Leakage.find(splits, s -> s);
        // By hand: train has "card lost" twice (1 within); validation "new pin" is in train (1);
        // test "card lost" is in train (1); test "other" is in validation (1).
        assertEquals(new Leakage.Report(1, 1, 1, 1, List.of("card lost", "new pin", "other")), report);

        Leakage.Deduplicated<String> deduplicated = Leakage.removeTrainOverlap(splits, s -> s);
        assertEquals(new Splits<>(splits.train(), List.of("other"), List.of("other", "fresh")),
                deduplicated.splits());
        assertEquals(1, deduplicated.removedFromValidation());
        assertEquals(1, deduplicated.removedFromTest());
    }

    @Test
    void countsTextsWithConflictingLabels() {
        assertEquals(1, Leakage.conflictingLabels(List.of(
                new LabelledExample("1", "Lost card", "lost"),
                new LabelledExample("2", "lost  card", "stolen"),
                new LabelledExample("3", "lost card", "lost"),
                new LabelledExample("4", "pin", "pin"))));
    }
}
