package dev.workbench.eval;

import dev.workbench.data.LabelledExample;
import dev.workbench.data.TextHash;
import dev.workbench.store.RunFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class McNemarAndSamplesTest {

    @Test
    void chiSquareSurvivalMatchesErfc() {
        // goldens: python3 math.erfc(math.sqrt(x / 2)) = P(chi2_1 >= x)
        assertEquals(0.4795001221869535, PairedTests.chiSquareOneDofSurvival(0.5), 1e-14);
        assertEquals(0.15729920705028513, PairedTests.chiSquareOneDofSurvival(2.0), 1e-14);
        assertEquals(0.08326451666355043, PairedTests.chiSquareOneDofSurvival(3.0), 1e-14);
        assertEquals(4.320463057827492e-08, PairedTests.chiSquareOneDofSurvival(30.0), 1e-20);
        assertEquals(1.0, PairedTests.chiSquareOneDofSurvival(0.0), 0);
    }

    @Test
    void exactUpTo25DiscordantPairsThenChiSquareWithContinuityCorrection() {
        // 25 discordant (5, 20): exact; python3: min(1, 2*sum(comb(25,i) for i in range(6))/2**25)
        PairedTests.McNemar exact = PairedTests.mcnemar(5, 20, 100);
        assertEquals(PairedTests.MCNEMAR_EXACT, exact.method());
        assertEquals(0.004077315330505371, exact.pValue(), 1e-15);
        // 26 discordant (1, 25): chi2 = (24 - 1)^2 / 26 = 20.346..., p = erfc(sqrt(chi2 / 2)) = 6.462284982453706e-06
        PairedTests.McNemar chi = PairedTests.mcnemar(1, 25, 100);
        assertEquals(PairedTests.MCNEMAR_CHI2, chi.method());
        assertEquals(6.462284982453706e-06, chi.pValue(), 1e-17);
        // (10, 30): chi2 = 19^2 / 40 = 9.025 -> 0.002663119259138554; (14, 12): 1/26 -> 0.84451926747294
        assertEquals(0.002663119259138554, PairedTests.mcnemar(10, 30, 40).pValue(), 1e-15);
        assertEquals(0.84451926747294, PairedTests.mcnemar(14, 12, 26).pValue(), 1e-13);
        // b = c: corrected statistic clamps at 0 -> p = 1
        assertEquals(1.0, PairedTests.mcnemar(13, 13, 26).pValue(), 0);
        // from per-item correctness: 30 items only the first right, 10 only the second -> chi-square branch
        boolean[] first = new boolean[50];
        boolean[] second = new boolean[50];
        for (int i = 0; i < 50; i++) {
            first[i] = i < 30 || i >= 40;
            second[i] = i >= 30;
        }
        PairedTests.McNemar m = PairedTests.mcnemar(first, second);
        assertEquals(30, m.onlyFirstRight());
        assertEquals(10, m.onlySecondRight());
        assertEquals(0.002663119259138554, m.pValue(), 1e-15);
        PairedTestResult r = PairedTestResult.mcnemar("f", "d", "a", "b", "accuracy", first, second, 20, 0.95, 1);
        assertEquals("mcnemar_chi2_continuity", r.test());
        assertEquals("p_value_mcnemar_vs_b", r.metricName());
    }

    @Test
    void sha256MatchesTheNistVector() {
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", TextHash.sha256("abc"));
    }

    @Test
    void evaluateWritesOneSampleLinePerSubjectAndExample(@TempDir Path dir) throws Exception {
        FixtureRun run = FixtureRun.create(dir.resolve("run"), 0);
        EvaluateStage.evaluate(run.folder, run.settings(), run.data, new PrintStream(new ByteArrayOutputStream()));
        List<Samples.Sample> samples = Samples.read(run.folder.resolve(RunFolder.EVAL_SAMPLES));
        Map<String, List<Samples.Sample>> bySubject = samples.stream()
                .collect(Collectors.groupingBy(Samples.Sample::subject));
        assertEquals(Map.of("majority", 24, "tfidf-logreg", 24, "finetuned", 24), bySubject.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().size())));
        List<LabelledExample> test = run.data.labelled().orElseThrow().test();
        for (List<Samples.Sample> subject : bySubject.values()) {
            for (int i = 0; i < test.size(); i++) {
                assertEquals(test.get(i).id(), subject.get(i).id());
                assertEquals(TextHash.sha256(test.get(i).text()), subject.get(i).textSha256());
                assertEquals(test.get(i).label(), subject.get(i).gold());
            }
        }
        Samples.Sample logreg = bySubject.get("tfidf-logreg").get(0);
        assertEquals(3, logreg.probabilities().size());
        assertEquals(1.0, logreg.probabilities().values().stream().mapToDouble(Double::doubleValue).sum(), 1e-6);
        Samples.Sample tuned = bySubject.get("finetuned").get(3); // fixture: item 3 is wrong at confidence 0.55
        assertFalse(tuned.correct());
        assertEquals(0.55, tuned.confidence(), 1e-12);
        assertTrue(tuned.probabilities().isEmpty());
        Samples.Sample majority = bySubject.get("majority").get(0);
        assertTrue(majority.probabilities().isEmpty() && Double.isNaN(majority.confidence()));
        assertNull(new Samples.Sample("s", "x", null, "a", "a", Map.of(), Double.NaN).textSha256());
    }
}
