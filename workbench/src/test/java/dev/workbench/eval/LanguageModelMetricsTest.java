package dev.workbench.eval;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LanguageModelMetricsTest {
    @Test
    void bitsPerByteIsARatioOfSums() {
        double[] bits = {100, 250.5, 80};
        long[] bytes = {50, 100, 40};
        // (100 + 250.5 + 80) / (50 + 100 + 40) = 430.5 / 190; the mean of per-document ratios would be 2.1683.
        assertEquals(2.2657894736842104, LanguageModelMetrics.bitsPerByte(bits, bytes), 1e-12);
        assertEquals(4.809175162027354, LanguageModelMetrics.bytePerplexity(2.2657894736842104), 1e-9);
        // Resampled indices count a document once per appearance: docs {0, 0} -> 200 / 100.
        assertEquals(2.0, LanguageModelMetrics.bitsPerByte(bits, bytes, new int[]{0, 0}), 1e-12);
    }
}
