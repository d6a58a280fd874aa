package dev.workbench.bench;

import dev.workbench.data.Table;
import dev.workbench.recipe.WorkbenchException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/** The tables the synthesis benchmarks run on: Adult from the shared data folder, a generated one, seeded samples. */
public final class BenchTables {
    /** Where the shared data folder is looked for, in words for help texts. */
    public static final String SHARED_DATA_RULE = "$" + Checkout.SHARED_DATA_VARIABLE + ", else ../shared/data beside "
            + "the checkout";
    private BenchTables() {
    }

    /** UCI Adult's training file in the shared data folder (it may be absent). */
    public static Path adultTrain() {
        return Checkout.sharedFile("benchmark/adult_train.csv");
    }

    /** UCI Adult's test file in the shared data folder (it may be absent). */
    public static Path adultTest() {
        return Checkout.sharedFile("benchmark/adult_test.csv");
    }

    /** {@code n} rows drawn without replacement, seeded (all of them, shuffled, when there are no more than n). */
    public static List<List<String>> sample(List<List<String>> rows, int n, long seed) {
        List<List<String>> copy = new ArrayList<>(rows);
        Collections.shuffle(copy, new Random(seed));
        return n > 0 && copy.size() > n ? List.copyOf(copy.subList(0, n)) : List.copyOf(copy);
    }

    /** {@link #sample} of the table's rows when it has more than {@code rows}; else the table as it is. */
    public static Table subsample(Table table, int rows, long seed) {
        if (rows <= 0 || table.rows().size() <= rows) {
            return table;
        }
        return table.withRows(sample(table.rows(), rows, seed));
    }

    /** A patient-like table (age, income with missing cells, sex, readmitted, smoker, ward, length of stay). */
    public static Table generated(int rows, long seed) {
        if (rows <= 0) {
            throw WorkbenchException.invalid("--train-rows must be positive");
        }
        Random random = new Random(seed);
        List<List<String>> out = new ArrayList<>();
        String[] wards = {"cardiology", "oncology", "surgery", "general", "neurology", "pediatrics"};
        for (int i = 0; i < rows; i++) {
            int age = (int) Math.max(18, Math.min(95, Math.round(50 + 17 * random.nextGaussian())));
            double income = random.nextBoolean() ? 25 + 6 * random.nextGaussian() : 70 + 12 * random.nextGaussian();
            int stay = (int) Math.max(1, Math.round(Math.exp(1 + 0.02 * age + 0.5 * random.nextGaussian())));
            out.add(List.of(Integer.toString(age),
                    random.nextDouble() < 0.05 ? "" : String.format(Locale.ROOT, "%.2f", income),
                    random.nextDouble() < 0.48 ? "F" : "M",
                    random.nextDouble() < (age > 65 ? 0.45 : 0.15) ? "yes" : "no",
                    random.nextDouble() < 0.25 ? "true" : "false",
                    wards[Math.min(wards.length - 1, (int) Math.abs(random.nextGaussian() * 2))],
                    Integer.toString(stay)));
        }
        return new Table(List.of("age", "income", "sex", "readmitted", "smoker", "ward", "length_of_stay"), out);
    }
}
