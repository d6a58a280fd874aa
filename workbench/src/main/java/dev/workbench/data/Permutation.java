package dev.workbench.data;

import java.util.Random;

/**
 * A seeded random permutation of {@code 0 .. n-1}: fine-tuning's epoch order and the neural synthesizers' row shuffles
 * and condition pairings. The draws are a fixed part of every seeded run's results, so the sequence must never change.
 */
public final class Permutation {
    private Permutation() {
    }

    /** Fisher-Yates from the last position down, one {@code random.nextInt(i + 1)} per position. */
    public static int[] of(int n, Random random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
