package dev.workbench.eval;

import dev.workbench.data.LabelledExample;
import dev.workbench.data.PreparedData;
import dev.workbench.data.Splits;
import dev.workbench.data.Table;
import dev.workbench.store.MetricRow;
import dev.workbench.store.MetricsLog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * A small, deterministic run folder as the earlier stages would leave it: manifest, resolved recipe, finetune rows and
 * curves, LM per-document bits, fine-tuned classifier predictions, generations, two synthetic tables. Shared by the
 * eval and report tests.
 */
public final class FixtureRun {
    public static final List<String> CLASSES = List.of("cardiac", "digestive", "respiratory");
    private static final Map<String, List<String>> WORDS = Map.of(
            "cardiac", List.of("chest", "pain", "heart", "palpitations", "pressure"),
            "digestive", List.of("stomach", "nausea", "vomiting", "abdominal", "cramps"),
            "respiratory", List.of("cough", "breath", "wheezing", "lungs", "sputum"));
    private static final List<String> FILLER = List.of("patient", "reports", "since", "yesterday", "mild", "severe");
    public static final List<String> TABLE_COLUMNS = List.of("age", "bmi", "smoker", "readmitted");

    public final Path folder;
    public final PreparedData data;

    private FixtureRun(Path folder, PreparedData data) {
        this.folder = folder;
        this.data = data;
    }

    /** Writes the fixture into {@code folder} (created). {@code variant} shifts the fine-tuned numbers a little. */
    public static FixtureRun create(Path folder, int variant) throws IOException {
        Files.createDirectories(folder.resolve("predictions"));
        Files.createDirectories(folder.resolve("synthetic"));
        Files.createDirectories(folder.resolve("finetune/language_model"));
        Random random = new Random(11);
        List<LabelledExample> train = examples("train", 45, random);
        List<LabelledExample> test = examples("test", 24, random);
        List<List<String>> tableTrain = tableRows(60, random, 0);
        List<List<String>> tableTest = tableRows(30, random, 0);
        PreparedData data = new PreparedData(Optional.empty(), Optional.of(new Splits<>(train, List.of(), test)),
                Optional.of(new Splits<>(tableTrain, List.of(), tableTest)),
                Optional.of(new Table(TABLE_COLUMNS, List.of())), Map.of("labelled.csv", "ab12"),
                Map.of("skipped_rows", 2, "duplicates_removed", 1));

        Files.writeString(folder.resolve("manifest.json"), """
                {
                  "schema_version" : 1,
                  "run_id" : "20261129-090000-abc12%d",
                  "recipe_name" : "fixture",
                  "recipe_file" : "/recipes/fixture.yaml",
                  "recipe_sha256" : "0f0f",
                  "overrides" : [ "training.max_steps=20" ],
                  "seed" : 42,
                  "inputs" : { "/data/labelled.csv" : "ab12", "/data/table.csv" : "cd34" },
                  "versions" : { "djl" : "0.36.0", "java" : "17", "tribuo" : "4.3.2", "workbench" : "0.1.0" },
                  "device" : "cpu",
                  "started_at" : "2026-11-29T09:00:00Z",
                  "ended_at" : "2026-11-29T09:01:30Z",
                  "status" : "completed",
                  "stages" : [ { "name" : "finetune", "status" : "completed", "seconds" : 61.5, "message" : null },
                               { "name" : "synthesize", "status" : "completed", "seconds" : 12.0, "message" : null } ]
                }
                """.formatted(variant));
        Files.writeString(folder.resolve("recipe.resolved.yaml"), """
                name: fixture
                seed: 42
                domain: medical
                evaluate:
                  bootstrap_samples: 200
                  confidence: 0.95
                  baselines: [majority, tfidf-logreg]
                report:
                  formats: [html, markdown, json]
                  title: Fixture run
                """);
        MetricsLog log = new MetricsLog(folder.resolve("metrics.jsonl"));
        log.append(MetricRow.of("finetune", "finetuned", "medical/text", "validation", "loss", 2.1 - 0.1 * variant,
                10, false));

        StringBuilder curve = new StringBuilder("step,epoch,loss,lr,grad_norm,tokens_per_s,val_loss\n");
        for (int step = 1; step <= 20; step++) {
            double loss = 4.0 * Math.exp(-step / 8.0) + 1.0;
            curve.append(String.format(Locale.ROOT, "%d,%d,%.4f,0.001,1.0,1200,%s%n", step, step / 10, loss,
                    step % 5 == 0 ? String.format(Locale.ROOT, "%.4f", loss + 0.2) : ""));
        }
        Files.writeString(folder.resolve("finetune/language_model/metrics.csv"), curve);

        StringBuilder lm = new StringBuilder("id,bytes,base_bits,finetuned_bits\n");
        for (int i = 0; i < 30; i++) {
            long bytes = 200 + 13 * i;
            double base = bytes * (2.4 + 0.1 * (i % 3));
            double tuned = base - bytes * (0.3 + 0.02 * variant) + (i % 4) * 3;
            lm.append(String.format(Locale.ROOT, "doc-%02d,%d,%.3f,%.3f%n", i, bytes, base, tuned));
        }
        Files.writeString(folder.resolve("predictions/lm_test.csv"), lm);

        StringBuilder cls = new StringBuilder("id,label,predicted,confidence\n");
        for (int i = 0; i < test.size(); i++) {
            LabelledExample e = test.get(i);
            boolean wrong = i % (6 + variant) == 3;
            String predicted = wrong ? CLASSES.get((CLASSES.indexOf(e.label()) + 1) % 3) : e.label();
            cls.append(String.format(Locale.ROOT, "%s,%s,%s,%.2f%n", e.id(), e.label(), predicted,
                    wrong ? 0.55 : 0.9));
        }
        Files.writeString(folder.resolve("predictions/classifier_test.csv"), cls);

        Files.writeString(folder.resolve("predictions/generations.jsonl"), """
                {"prompt":"The patient reports","base":"the the of","finetuned":"chest pain since yesterday","seed":42,"max_new_tokens":8,"temperature":0.8}
                {"prompt":"Treatment for","base":"and a to","finetuned":"nausea includes fluids","seed":42,"max_new_tokens":8,"temperature":0.8}
                """);

        writeCsv(folder.resolve("synthetic/ctgan.csv"), tableRows(60, new Random(5), 1));
        writeCsv(folder.resolve("synthetic/independent.csv"), shuffledColumns(tableRows(60, new Random(6), 0)));
        return new FixtureRun(folder, data);
    }

    public EvaluationSettings settings() {
        return new EvaluationSettings(42, "medical", true, true, true, 200, 0.95,
                List.of("majority", "tfidf-logreg"), Optional.of("readmitted"), Map.of(), Optional.of("ctgan"), 1.0);
    }

    private static List<LabelledExample> examples(String split, int n, Random random) {
        List<LabelledExample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String label = CLASSES.get(i % 3);
            List<String> words = new ArrayList<>();
            for (int w = 0; w < 6; w++) {
                words.add(random.nextInt(3) == 0 ? FILLER.get(random.nextInt(FILLER.size()))
                        : WORDS.get(label).get(random.nextInt(5)));
            }
            out.add(new LabelledExample(split + ":" + i, String.join(" ", words), label));
        }
        return out;
    }

    /** age ~ 30..80, bmi rising with age, smoker yes/no, readmitted depends on age and smoking. */
    private static List<List<String>> tableRows(int n, Random random, int shift) {
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int age = 30 + random.nextInt(50) + shift * 5;
            double bmi = 20 + age * 0.1 + random.nextGaussian() * 2;
            boolean smoker = random.nextInt(3) == 0;
            boolean readmitted = age > 60 || (smoker && random.nextBoolean());
            rows.add(List.of(Integer.toString(age), String.format(Locale.ROOT, "%.1f", bmi), smoker ? "yes" : "no",
                    readmitted ? "1" : "0"));
        }
        return rows;
    }

    /** Each column shuffled on its own: the marginals stay, the dependencies go (an independent-marginals table). */
    private static List<List<String>> shuffledColumns(List<List<String>> rows) {
        Random random = new Random(9);
        List<List<String>> cols = new ArrayList<>();
        for (int c = 0; c < TABLE_COLUMNS.size(); c++) {
            List<String> col = new ArrayList<>();
            for (List<String> row : rows) {
                col.add(row.get(c));
            }
            java.util.Collections.shuffle(col, random);
            cols.add(col);
        }
        List<List<String>> out = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            List<String> row = new ArrayList<>();
            for (List<String> col : cols) {
                row.add(col.get(r));
            }
            out.add(row);
        }
        return out;
    }

    private static void writeCsv(Path file, List<List<String>> rows) throws IOException {
        StringBuilder text = new StringBuilder(String.join(",", TABLE_COLUMNS)).append('\n');
        for (List<String> row : rows) {
            text.append(String.join(",", row)).append('\n');
        }
        Files.writeString(file, text);
    }
}
