package dev.workbench.synth;

import dev.workbench.data.Table;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TableEncoderTest {

    /**
     * encode -> decode gives the table back: categories, booleans, dates and integers exactly; continuous values to
     * the column's two decimals, except where the 4-sigma alpha clip at 0.99 bites (values more than 3.96 sigma from
     * the sampled mode), which the test allows for explicitly.
     */
    @Test
    void roundTripReproducesTheTable() {
        Table table = TinyTables.patients(200, 5);
        TableProfile profile = TableProfiler.profile(table);
        TableEncoder encoder = TableEncoder.fit(table, profile);
        TableEncoder.Encoded encoded = encoder.encode(table, new Random(1));
        assertEquals(encoder.width(), encoded.width());
        Table decoded = encoder.decode(encoded.data(), encoded.rows(), false);
        assertEquals(table.columns(), decoded.columns());
        int clipped = 0;
        for (int r = 0; r < table.rows().size(); r++) {
            List<String> original = table.rows().get(r);
            List<String> back = decoded.rows().get(r);
            for (int c : new int[] {0, 2, 3, 4, 5}) {
                assertEquals(original.get(c), back.get(c), "row " + r + " column " + table.columns().get(c));
            }
            if (original.get(1).equals("?")) {
                assertEquals("?", back.get(1));
            } else if (Math.abs(Double.parseDouble(original.get(1)) - Double.parseDouble(back.get(1))) > 0.0051) {
                float alpha = encoded.data()[r * encoded.width() + spanStart(encoder, 1)];
                assertEquals(0.99, Math.abs(alpha), 1e-6, "only clipped alphas may lose precision, row " + r);
                clipped++;
            }
        }
        assertTrue(clipped <= 2, "clipped values " + clipped);
    }

    @Test
    void layoutHasTanhAndModeSpansForNumbersAndOneHotsForCategories() {
        Table table = TinyTables.patients(200, 5);
        TableEncoder encoder = TableEncoder.fit(table, TableProfiler.profile(table));
        // discrete columns: sex (2), readmitted (2), smoker (2); income has "?" but is numeric -> indicator span
        assertEquals(3, encoder.discreteColumns().size());
        assertEquals(6, encoder.condWidth());
        int expectedWidth = 0;
        for (int c = 0; c < 6; c++) {
            expectedWidth += encoder.modes(c) > 0 ? 1 + encoder.modes(c) : 2;
        }
        expectedWidth += 2; // income's missing indicator
        assertEquals(expectedWidth, encoder.width());
        assertTrue(encoder.modes(1) >= 2, "bimodal income keeps at least two modes");
        TableEncoder.Encoded encoded = encoder.encode(table, new Random(2));
        for (int r = 0; r < encoded.rows(); r++) {
            for (TableEncoder.Span span : encoder.spans()) {
                if (span.activation() == TableEncoder.Activation.SOFTMAX) {
                    float sum = 0;
                    for (int i = 0; i < span.width(); i++) {
                        sum += encoded.data()[r * encoded.width() + span.start() + i];
                    }
                    assertEquals(1f, sum, "one-hot span sums to one");
                } else {
                    assertTrue(Math.abs(encoded.data()[r * encoded.width() + span.start()]) <= 0.99f);
                }
            }
        }
    }

    private static int spanStart(TableEncoder encoder, int column) {
        int tanhSeen = -1;
        for (TableEncoder.Span span : encoder.spans()) {
            if (span.activation() == TableEncoder.Activation.TANH && ++tanhSeen == column) {
                return span.start();
            }
        }
        throw new IllegalStateException();
    }
}
