package dev.workbench.eval;

/**
 * Corpus-level language-model metrics from per-document totals (lm-evaluation-harness definitions): the ratio of sums,
 * never the mean of per-document ratios. Per-document bits are {@code −Σ log2 p(token)} over every token of the
 * document; bytes are its UTF-8 length.
 */
public final class LanguageModelMetrics {
    private LanguageModelMetrics() {
    }

    /** {@code Σ bits / Σ bytes} over the documents picked by {@code indices}. */
    public static double bitsPerByte(double[] bits, long[] bytes, int[] indices) {
        double bitSum = 0;
        long byteSum = 0;
        for (int i : indices) {
            bitSum += bits[i];
            byteSum += bytes[i];
        }
        return byteSum == 0 ? Double.NaN : bitSum / byteSum;
    }

    public static double bitsPerByte(double[] bits, long[] bytes) {
        return bitsPerByte(bits, bytes, Bootstrap.identity(bits.length));
    }

    /**
     * Byte perplexity {@code 2^bpb} (= {@code exp(−Σ ln p / Σ bytes)}). It is the only perplexity comparable across
     * tokenizers, which is why the workbench reports it rather than a per-token perplexity.
     */
    public static double bytePerplexity(double bitsPerByte) {
        return Math.pow(2, bitsPerByte);
    }
}
