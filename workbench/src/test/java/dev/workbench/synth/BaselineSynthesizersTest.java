package dev.workbench.synth;

import dev.workbench.data.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tolerances are statistical, never tuned: 4 standard errors of the difference of two independent estimates
 * (false-failure probability about 6e-5 per check), and the two-sample Kolmogorov-Smirnov critical value at
 * alpha = 0.001, c * sqrt((n + m) / (n m)) with c = 1.949.
 */
class BaselineSynthesizersTest {
    private static final int N = 2000;

    @Test
    void independentKeepsMarginalsAndDropsDependence() {
        Table real = TinyTables.patients(N, 21);
        TableProfile profile = TableProfiler.profile(real);
        IndependentSynthesizer synthesizer = new IndependentSynthesizer(new BaselineConfig(true));
        synthesizer.fit(real, profile, 1);
        Table synthetic = synthesizer.sample(N, Map.of(), 2);
        assertEquals(profile.columnNames(), synthetic.columns());
        for (String column : List.of("sex", "readmitted", "smoker")) {
            for (String value : profile.column(column).categories()) {
                double p = share(real, column, value);
                double q = share(synthetic, column, value);
                assertEquals(p, q, 4 * Math.sqrt(p * (1 - p) * 2.0 / N), column + "=" + value);
            }
        }
        double[] realAge = TinyTables.numbers(real, "age");
        double[] synthAge = TinyTables.numbers(synthetic, "age");
        assertTrue(ks(realAge, synthAge) < 1.949 * Math.sqrt(2.0 / N), "age KS " + ks(realAge, synthAge));
        double missing = share(synthetic, "income", "?");
        double realMissing = share(real, "income", "?");
        assertEquals(realMissing, missing, 4 * Math.sqrt(realMissing * (1 - realMissing) * 2.0 / N));
        // real: readmission depends on age; independent: correlation is 0 up to its standard error 1/sqrt(N)
        assertTrue(Math.abs(ageReadmittedCorrelation(real)) > 0.2);
        assertEquals(0, ageReadmittedCorrelation(synthetic), 4 / Math.sqrt(N));
        Table conditioned = synthesizer.sample(50, Map.of("readmitted", "yes"), 3);
        assertTrue(conditioned.rows().stream().allMatch(r -> r.get(3).equals("yes")));
    }

    @Test
    void gaussianCopulaKeepsCorrelationAndMarginals() {
        double rho = 0.8;
        Table real = TinyTables.correlated(N, rho, 31);
        TableProfile profile = TableProfiler.profile(real);
        GaussianCopulaSynthesizer synthesizer = new GaussianCopulaSynthesizer(new BaselineConfig(true));
        synthesizer.fit(real, profile, 1);
        Table synthetic = synthesizer.sample(N, Map.of(), 2);
        double realR = GaussianCopulaSynthesizer.pearson(TinyTables.numbers(real, "x"), TinyTables.numbers(real, "y"));
        double synthR = GaussianCopulaSynthesizer.pearson(TinyTables.numbers(synthetic, "x"),
                TinyTables.numbers(synthetic, "y"));
        // standard error of a sample correlation ~ (1 - rho^2) / sqrt(n); two independent estimates
        assertEquals(realR, synthR, 4 * Math.sqrt(2) * (1 - rho * rho) / Math.sqrt(N));
        for (String column : List.of("x", "y")) {
            double d = ks(TinyTables.numbers(real, column), TinyTables.numbers(synthetic, column));
            assertTrue(d < 1.949 * Math.sqrt(2.0 / N), column + " KS " + d);
        }
        for (String value : List.of("a", "b", "c")) {
            double p = share(real, "group", value);
            assertEquals(p, share(synthetic, "group", value), 4 * Math.sqrt(p * (1 - p) * 2.0 / N), value);
        }
        Table conditioned = synthesizer.sample(200, Map.of("group", "a"), 4);
        assertEquals(200, conditioned.rows().size());
        assertTrue(conditioned.rows().stream().allMatch(r -> r.get(2).equals("a")));
        assertEquals(0, synthesizer.lastForcedRows());
    }

    @Test
    void baselinesRoundTripThroughGeneratorFolders(@TempDir Path dir) throws Exception {
        Table real = TinyTables.patients(300, 4);
        TableProfile profile = TableProfiler.profile(real);
        for (String method : List.of(IndependentSynthesizer.NAME, GaussianCopulaSynthesizer.NAME)) {
            Synthesizer synthesizer = Synthesizers.create(method, CtganConfig.defaults().asSection(List.of(method)));
            synthesizer.fit(real, profile, 9);
            Path folder = dir.resolve(method);
            synthesizer.save(folder);
            Synthesizer loaded = GeneratorCheckpoint.load(folder);
            assertEquals(method, loaded.name());
            assertEquals(synthesizer.sample(120, Map.of(), 5), loaded.sample(120, Map.of(), 5), method);
            assertEquals(synthesizer.sample(20, Map.of("sex", "F"), 6), loaded.sample(20, Map.of("sex", "F"), 6));
        }
    }

    private static double share(Table table, String column, String value) {
        int index = table.columnIndex(column);
        return table.rows().stream().filter(r -> r.get(index).equals(value)).count() / (double) table.rows().size();
    }

    private static double ageReadmittedCorrelation(Table table) {
        double[] age = table.rows().stream().mapToDouble(r -> Double.parseDouble(r.get(0))).toArray();
        double[] readmitted = table.rows().stream().mapToDouble(r -> r.get(3).equals("yes") ? 1 : 0).toArray();
        return GaussianCopulaSynthesizer.pearson(age, readmitted);
    }

    /** Two-sample Kolmogorov-Smirnov statistic: sup |F1 - F2| over the merged sample. */
    static double ks(double[] a, double[] b) {
        double[] x = a.clone();
        double[] y = b.clone();
        Arrays.sort(x);
        Arrays.sort(y);
        int i = 0;
        int j = 0;
        double d = 0;
        while (i < x.length && j < y.length) {
            double v = Math.min(x[i], y[j]);
            while (i < x.length && x[i] <= v) {
                i++;
            }
            while (j < y.length && y[j] <= v) {
                j++;
            }
            d = Math.max(d, Math.abs((double) i / x.length - (double) j / y.length));
        }
        return d;
    }
}
