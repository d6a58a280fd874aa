package dev.workbench.data.chat;

import dev.workbench.data.Permutation;

import java.util.ArrayList;
import java.util.List;

/**
 * Which examples share a training row. An example of n tokens fills n - 1 input positions (its last token is only a
 * target). With packing, examples in a seeded order go first-fit into rows of {@code capacity} positions (the first
 * row with room, else a new one); without, one example a row.
 *
 * @param rows example indices per row, in the order they sit in the row
 * @param usedPositions input positions filled by examples over all rows
 * @param capacity positions per row
 */
public record Packing(List<int[]> rows, long usedPositions, int capacity) {

    /** Filled positions over all positions of the rows: 1 means no padding at all. */
    public double efficiency() {
        return rows.isEmpty() ? 0 : (double) usedPositions / ((long) rows.size() * capacity);
    }

    /** @param lengths tokens per example, each at most {@code capacity + 1} */
    public static Packing of(int[] lengths, int capacity, boolean pack, long seed) {
        List<int[]> rows = new ArrayList<>();
        long used = 0;
        if (!pack) {
            for (int i = 0; i < lengths.length; i++) {
                rows.add(new int[] {i});
                used += Math.max(0, lengths[i] - 1);
            }
            return new Packing(rows, used, capacity);
        }
        int[] order = Permutation.of(lengths.length, new java.util.Random(seed));
        List<List<Integer>> open = new ArrayList<>();
        List<Integer> free = new ArrayList<>();
        for (int example : order) {
            int need = Math.max(0, lengths[example] - 1);
            if (need == 0) {
                continue;
            }
            used += need;
            int row = -1;
            for (int r = 0; r < open.size(); r++) {
                if (free.get(r) >= need) {
                    row = r;
                    break;
                }
            }
            if (row < 0) {
                open.add(new ArrayList<>());
                free.add(capacity);
                row = open.size() - 1;
            }
            open.get(row).add(example);
            free.set(row, free.get(row) - need);
        }
        for (List<Integer> row : open) {
            rows.add(row.stream().mapToInt(Integer::intValue).toArray());
        }
        return new Packing(rows, used, capacity);
    }
}
