package dev.workbench.cli;

import dev.workbench.finetune.Checkpoints;
import dev.workbench.finetune.ClassifierPredictor;
import dev.workbench.model.hf.CheckpointRef;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code workbench predict --checkpoint X (--text T | --input FILE [--output FILE.csv])}: label texts with a
 * classifier, with every class's probability.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Label texts with a fine-tuned classifier checkpoint (a checkpoint folder, a 'last' pointer "
                + "file, or a run folder: its checkpoints/classifier/best).",
            "With --text prints 'label<TAB>L' then 'p(CLASS)<TAB>probability' for every class, most likely first.",
            "With --input writes id,text,label,confidence,p_<class>... rows to --output (default: standard output)."})
public final class PredictCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--checkpoint", required = true, paramLabel = "CHECKPOINT",
            description = "classifier checkpoint folder, 'last' pointer file, or run folder")
    String checkpoint;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--text", paramLabel = "TEXT", description = "one text to label")
        String text;

        @Option(names = "--input", paramLabel = "FILE", description = ".csv (header row) or .jsonl of texts")
        Path input;
    }

    @Option(names = {"--out", "--output"}, paramLabel = "FILE.csv",
            description = "where --input's predictions go (default: standard output; --output is an alias)")
    Path output;

    @Option(names = "--text-column", defaultValue = "text", description = "column/field holding the text "
            + "(default: ${DEFAULT-VALUE})")
    String textColumn;

    @Option(names = "--batch-size", defaultValue = "32", description = "texts per forward pass (default: "
            + "${DEFAULT-VALUE})")
    int batchSize;

    @Override
    public Integer call() throws Exception {
        if (checkpoint.startsWith(CheckpointRef.HF_PREFIX)) {
            // a Hugging Face folder holds a pretrained model, no classifier head: refused with a hint to fine-tune one
            CheckpointRef.resolve(checkpoint).requireWorkbench("predict needs a classifier fine-tuned from it");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (ClassifierPredictor predictor = new ClassifierPredictor(
                Checkpoints.resolveFolder(Path.of(checkpoint), "classifier"))) {
            if (source.text != null) {
                ClassifierPredictor.Labelled p = predictor.predict(List.of(source.text), 1).get(0);
                out.printf("label\t%s%n", p.label());
                for (Map.Entry<String, Double> e : p.probabilities().entrySet()) {
                    out.printf(Locale.ROOT, "p(%s)\t%.4f%n", e.getKey(), e.getValue());
                }
            } else {
                List<ClassifierPredictor.Row> rows = ClassifierPredictor.readRows(source.input, textColumn);
                List<ClassifierPredictor.Labelled> predictions = predictor.predict(
                        rows.stream().map(ClassifierPredictor.Row::text).toList(), batchSize);
                if (output == null) {
                    predictor.writePredictions(out, rows, predictions);
                } else {
                    predictor.writePredictions(output, rows, predictions);
                    out.printf("%d rows labelled -> %s%n", rows.size(), output);
                }
            }
            out.flush();
        }
        return 0;
    }
}
