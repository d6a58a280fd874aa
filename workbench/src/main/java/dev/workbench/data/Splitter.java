package dev.workbench.data;

import dev.workbench.recipe.WorkbenchException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Splits a corpus into train / validation / test. Deterministic: the only randomness is a {@link SplittableRandom}
 * seeded with the recipe seed, drawn through {@link SplittableRandom#nextLong()} alone, whose SplitMix64 sequence is
 * fixed by its specification, so a split is the same on every run and every JVM. Items keep their file order inside
 * each split.
 *
 * <p>Sizes: {@code test = round(n * test)} and {@code validation = round(n * validation)}, rounding half up on the
 * decimal fractions as written (25 x 0.1 = 2.5 gives 3), and train takes the rest. If that leaves train empty while
 * there are items, validation and then test give items back until train has one.
 */
public final class Splitter {
    private Splitter() {
    }

    /** How many items each split gets. */
    public record Sizes(int train, int validation, int test) {
    }

    public static Sizes sizes(int n, double validation, double test) {
        if (validation < 0 || test < 0 || validation + test >= 1) {
            throw WorkbenchException.invalid("split: validation (" + validation + ") and test (" + test
                    + ") must be >= 0 and add up to less than 1");
        }
        int testSize = roundHalfUp(n, test);
        int validationSize = roundHalfUp(n, validation);
        while (n > 0 && n - testSize - validationSize < 1) {
            if (validationSize > 0) {
                validationSize--;
            } else {
                testSize--;
            }
        }
        return new Sizes(n - testSize - validationSize, validationSize, testSize);
    }

    private static int roundHalfUp(int n, double fraction) {
        return BigDecimal.valueOf(fraction).multiply(BigDecimal.valueOf(n)).setScale(0, RoundingMode.HALF_UP)
                .intValueExact();
    }

    /** A uniform random split with exactly {@link #sizes} items per part. */
    public static <T> Splits<T> random(List<T> items, long seed, double validation, double test) {
        Sizes sizes = sizes(items.size(), validation, test);
        List<Integer> order = indices(items.size());
        shuffle(order, new SplittableRandom(seed));
        List<Integer> testPart = order.subList(0, sizes.test());
        List<Integer> validationPart = order.subList(sizes.test(), sizes.test() + sizes.validation());
        List<Integer> trainPart = order.subList(sizes.test() + sizes.validation(), order.size());
        return assemble(items, trainPart, validationPart, testPart);
    }

    /**
     * A split that keeps each class's share in every part. Totals are those of {@link #sizes}, except where that
     * conflicts with the guarantee that every class with at least 3 items has at least one in each part that is asked
     * for (validation or test fraction above 0); the guarantee wins. Every class keeps at least one training item.
     *
     * <p>Per class c with m items, of n in all, and target total k for a part: start from floor(m*k/n), raise to the
     * guaranteed minimum, then move single items until the part's total is k: adding to the class furthest below its
     * exact share m*k/n, removing from the class furthest above it (ties: the first class in label order). Test is
     * allocated first, then validation. Inside a class, items are shuffled with the seeded generator (classes taken
     * in label order) and dealt to test, validation, train.
     */
    public static <T> Splits<T> stratified(List<T> items, Function<? super T, String> classOf, long seed,
                                           double validation, double test) {
        int n = items.size();
        Sizes sizes = sizes(n, validation, test);
        Map<String, List<Integer>> byClass = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            byClass.computeIfAbsent(classOf.apply(items.get(i)), c -> new ArrayList<>()).add(i);
        }
        List<List<Integer>> classes = new ArrayList<>(byClass.values());
        int k = classes.size();
        long[] m = new long[k];
        long[] testCounts = new long[k];
        long[] validationCounts = new long[k];
        for (int c = 0; c < k; c++) {
            m[c] = classes.get(c).size();
        }
        long[] validationReserve = new long[k]; // test must leave room for the guaranteed validation item
        for (int c = 0; c < k; c++) {
            validationReserve[c] = validation > 0 && m[c] >= 3 ? 1 : 0;
        }
        allocate(m, n, sizes.test(), test > 0, testCounts, validationReserve);
        allocate(m, n, sizes.validation(), validation > 0, validationCounts, testCounts);

        SplittableRandom random = new SplittableRandom(seed);
        List<Integer> trainPart = new ArrayList<>();
        List<Integer> validationPart = new ArrayList<>();
        List<Integer> testPart = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            List<Integer> members = new ArrayList<>(classes.get(c));
            shuffle(members, random);
            int t = (int) testCounts[c];
            int v = (int) validationCounts[c];
            testPart.addAll(members.subList(0, t));
            validationPart.addAll(members.subList(t, t + v));
            trainPart.addAll(members.subList(t + v, members.size()));
        }
        return assemble(items, trainPart, validationPart, testPart);
    }

    /**
     * Fills {@code counts} for one part (test or validation) given what {@code taken} holds for the other (or reserves
     * for it); every class keeps at least one item for train.
     * All arithmetic is on integers (m*k against count*n), so the result does not depend on floating point.
     */
    private static void allocate(long[] m, long n, long target, boolean guaranteed, long[] counts, long[] taken) {
        int k = m.length;
        for (int c = 0; c < k; c++) {
            counts[c] = n == 0 ? 0 : m[c] * target / n;
            if (guaranteed && m[c] >= 3 && counts[c] == 0) {
                counts[c] = 1;
            }
            counts[c] = Math.max(0, Math.min(counts[c], m[c] - taken[c] - 1));
        }
        long total = 0;
        for (long count : counts) {
            total += count;
        }
        while (total > target) {
            int best = -1;
            long bestExcess = Long.MIN_VALUE;
            for (int c = 0; c < k; c++) {
                long minimum = guaranteed && m[c] >= 3 ? 1 : 0;
                long excess = counts[c] * n - m[c] * target;
                if (counts[c] > minimum && excess > bestExcess) {
                    best = c;
                    bestExcess = excess;
                }
            }
            if (best < 0) {
                break; // every class is at its guaranteed minimum: the part stays larger than the target
            }
            counts[best]--;
            total--;
        }
        while (total < target) {
            int best = -1;
            long bestDeficit = Long.MIN_VALUE;
            for (int c = 0; c < k; c++) {
                long train = m[c] - counts[c] - taken[c];
                long deficit = m[c] * target - counts[c] * n;
                if (train > 1 && deficit > bestDeficit) {
                    best = c;
                    bestDeficit = deficit;
                }
            }
            if (best < 0) {
                break; // no class can give up another training item
            }
            counts[best]++;
            total++;
        }
    }

    /** Uses the split named for each item ({@code split.method: column}); tags are train, validation or test. */
    public static <T> Splits<T> byTags(List<T> items, List<String> tags) {
        if (tags.size() != items.size()) {
            throw new IllegalArgumentException(tags.size() + " tags for " + items.size() + " items");
        }
        List<T> train = new ArrayList<>();
        List<T> validation = new ArrayList<>();
        List<T> test = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            switch (tags.get(i)) {
                case "train" -> train.add(items.get(i));
                case "validation" -> validation.add(items.get(i));
                case "test" -> test.add(items.get(i));
                default -> throw new IllegalArgumentException("unknown split tag " + tags.get(i));
            }
        }
        return new Splits<>(List.copyOf(train), List.copyOf(validation), List.copyOf(test));
    }

    private static List<Integer> indices(int n) {
        List<Integer> order = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        return order;
    }

    /**
     * Fisher-Yates from the last position down. The bound is applied as floorMod of nextLong(): its bias is below
     * n/2^64, and unlike nextInt(bound) it cannot change with the JDK's bounded-draw algorithm.
     */
    static void shuffle(List<Integer> values, SplittableRandom random) {
        for (int i = values.size() - 1; i > 0; i--) {
            int j = (int) Math.floorMod(random.nextLong(), (long) (i + 1));
            Collections.swap(values, i, j);
        }
    }

    private static <T> Splits<T> assemble(List<T> items, List<Integer> train, List<Integer> validation,
                                          List<Integer> test) {
        return new Splits<>(pick(items, train), pick(items, validation), pick(items, test));
    }

    private static <T> List<T> pick(List<T> items, List<Integer> indices) {
        List<Integer> sorted = new ArrayList<>(indices);
        Collections.sort(sorted);
        List<T> picked = new ArrayList<>(sorted.size());
        for (int index : sorted) {
            picked.add(items.get(index));
        }
        return List.copyOf(picked);
    }
}
