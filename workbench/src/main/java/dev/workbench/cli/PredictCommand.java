package dev.workbench.cli;

import dev.workbench.finetune.ClassifierPredictor;
import dev.workbench.recipe.WorkbenchException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code workbench predict CHECKPOINT (--text T | --input FILE --output FILE.csv)}: label texts with a classifier. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Label texts with a fine-tuned classifier checkpoint (a checkpoint folder, or a run folder: "
                + "its checkpoints/classifier/best).",
            "With --text prints 'label<TAB>confidence'; with --input writes id,text,label,confidence rows."})
public final class PredictCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CHECKPOINT", description = "classifier checkpoint folder or run folder")
    Path checkpoint;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--text", paramLabel = "TEXT", description = "one text to label")
        String text;

        @Option(names = "--input", paramLabel = "FILE", description = ".csv (header row) or .jsonl of texts")
        Path input;
    }

    @Option(names = "--output", paramLabel = "FILE.csv", description = "where --input's predictions go")
    Path output;

    @Option(names = "--text-column", defaultValue = "text", description = "column/field holding the text "
            + "(default: ${DEFAULT-VALUE})")
    String textColumn;

    @Option(names = "--batch-size", defaultValue = "32", description = "texts per forward pass (default: "
            + "${DEFAULT-VALUE})")
    int batchSize;

    @Override
    public Integer call() throws Exception {
        if (source.input != null && output == null) {
            throw WorkbenchException.invalid("predict --input needs --output FILE.csv");
        }
        try (ClassifierPredictor predictor = new ClassifierPredictor(checkpoint)) {
            if (source.text != null) {
                ClassifierPredictor.Labelled p = predictor.predict(List.of(source.text), 1).get(0);
                spec.commandLine().getOut().printf(Locale.ROOT, "%s\t%.4f%n", p.label(), p.confidence());
            } else {
                List<ClassifierPredictor.Row> rows = ClassifierPredictor.readRows(source.input, textColumn);
                List<ClassifierPredictor.Labelled> predictions = predictor.predict(
                        rows.stream().map(ClassifierPredictor.Row::text).toList(), batchSize);
                ClassifierPredictor.writePredictions(output, rows, predictions);
                spec.commandLine().getOut().printf("%d rows labelled -> %s%n", rows.size(), output);
            }
        }
        return 0;
    }
}
