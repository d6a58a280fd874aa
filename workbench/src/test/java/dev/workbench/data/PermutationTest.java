package dev.workbench.data;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class PermutationTest {

    /** The sequences the three former copies (fine-tuning, CTGAN, TVAE) drew: seeded runs depend on them. */
    @Test
    void drawsTheSameSequenceAsEver() {
        assertArrayEquals(new int[] {5, 3, 1, 2, 4, 7, 9, 8, 10, 0, 6}, Permutation.of(11, new Random(3)));
        assertArrayEquals(new int[] {2, 6, 4, 0, 5, 3, 1}, Permutation.of(7, new Random(42)));
        assertArrayEquals(new int[] {0}, Permutation.of(1, new Random(1)));
        assertArrayEquals(new int[0], Permutation.of(0, new Random(1)));
    }
}
