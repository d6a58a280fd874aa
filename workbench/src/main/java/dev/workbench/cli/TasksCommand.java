package dev.workbench.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.workbench.eval.task.TaskEvaluation;
import dev.workbench.eval.task.TaskRun;
import dev.workbench.finetune.TextScoring;
import dev.workbench.recipe.Evaluate;
import dev.workbench.recipe.TaskFile;
import dev.workbench.recipe.TaskFileReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;

/** {@code workbench tasks run CHECKPOINT --task FILE...}: evaluation tasks on any checkpoint, as lm_eval runs them. */
@Command(name = "tasks", mixinStandardHelpOptions = true,
        description = "Evaluation tasks (lm-evaluation-harness style task files) outside a run.",
        subcommands = TasksCommand.Run.class)
public final class TasksCommand {

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Score task files on a checkpoint (and, with --base, on a second one on the same items, "
                    + "with paired tests); prints the scores and writes the per-item files.")
    static final class Run implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "CHECKPOINT",
                description = "checkpoint folder, run folder (its best language model), or hf:DIR")
        String checkpoint;

        @Option(names = "--task", required = true, paramLabel = "FILE", description = "task file (repeatable)")
        List<Path> tasks;

        @Option(names = "--base", paramLabel = "X",
                description = "a second checkpoint scored as 'base' on the same items (CHECKPOINT is 'finetuned')")
        String base;

        @Option(names = "--dataset", paramLabel = "PATH", description = "replaces every task's dataset_path")
        Path dataset;

        @Option(names = "--limit", paramLabel = "N", description = "only the first N items of each task")
        Integer limit;

        @Option(names = "--num-fewshot", paramLabel = "N", description = "replaces every task's num_fewshot")
        Integer numFewshot;

        @Option(names = "--out", paramLabel = "DIR", defaultValue = "reports/tasks",
                description = "per-item files go to DIR/eval/tasks/<model>/<task>.jsonl (default reports/tasks)")
        Path out;

        @Option(names = "--bootstrap-samples", defaultValue = "1000", description = "bootstrap replicates")
        int bootstrapSamples;

        @Option(names = "--seed", defaultValue = "42", description = "seed of the bootstrap resamples")
        long seed;

        @Option(names = "--json", description = "print the metric rows and paired tests as JSON")
        boolean json;

        @Override
        public Integer call() throws Exception {
            List<TaskFile> files = new ArrayList<>();
            for (Path task : tasks) { // every file read before any model loads
                files.add(TaskFileReader.read(new Evaluate.TaskRef(task, Optional.ofNullable(dataset),
                        limit == null ? OptionalInt.empty() : OptionalInt.of(limit),
                        numFewshot == null ? OptionalInt.empty() : OptionalInt.of(numFewshot))));
            }
            TaskEvaluation.Outcome outcome = TaskRun.run(files, TextScoring.checkpointReference(checkpoint),
                    Optional.ofNullable(base).map(TextScoring::checkpointReference), out,
                    new TaskEvaluation.Statistics(bootstrapSamples, 0.95, seed), System.err);
            if (json) {
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("rows", outcome.rows());
                result.put("tests", outcome.tests());
                spec.commandLine().getOut().println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                        .writeValueAsString(result));
            } else {
                spec.commandLine().getOut().print(TaskRun.table(outcome));
            }
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
