package dev.workbench.eval.task;

import dev.workbench.recipe.Evaluate;
import dev.workbench.recipe.Problem;
import dev.workbench.recipe.RecipeException;
import dev.workbench.recipe.TaskFile;
import dev.workbench.recipe.TaskFileReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Task files: defaults as lm-eval's, and every problem of a bad file at once, at its line and column. */
class TaskFileReaderTest {
    @TempDir
    Path dir;

    @Test
    void defaultsFollowLmEval() throws IOException {
        Files.writeString(dir.resolve("items.jsonl"), "{\"q\": \"x\", \"a\": \"y\"}\n");
        Path file = dir.resolve("t.yaml");
        Files.writeString(file, """
                task: t
                dataset_path: items.jsonl
                output_type: generate_until
                doc_to_text: "{{q}}"
                doc_to_target: "{{a}}"
                """);
        TaskFile task = TaskFileReader.read(file);
        assertEquals(dir.resolve("items.jsonl").toAbsolutePath().normalize(), task.datasetPath());
        assertEquals(" ", task.targetDelimiter());
        assertEquals("\n\n", task.fewshotDelimiter());
        assertEquals(List.of("\n\n"), task.until()); // the few-shot delimiter, as lm-eval
        assertEquals(256, task.maxGenToks());
        assertEquals(List.of(TaskFile.MetricSpec.of("exact_match")), task.metrics());
        assertEquals(0, task.numFewshot());
        assertEquals(Optional.empty(), task.filter());

        Path other = dir.resolve("other.csv");
        Files.writeString(other, "q,a\nx,y\n");
        assertEquals(other, TaskFileReader.read(new Evaluate.TaskRef(file, Optional.of(other), OptionalInt.empty(),
                OptionalInt.empty())).datasetPath());
    }

    @Test
    void everyProblemAtOnceWithLineAndColumn() throws IOException {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, """
                task: bad name
                dataset_path: missing.jsonl
                output_type: multiple_choise
                doc_to_text: "{{ question"
                doc_to_target: "{{label}}"
                num_fewshot: -1
                generation_kwargs: {until: ["\\n"], max_tokens: 5}
                filter: {regex: "#### ([0-9]+", fallback: x}
                metric_list: [acc, bleu, {metric: exact_match, ignore_cse: true}]
                temperature: 0
                """);
        RecipeException e = assertThrows(RecipeException.class, () -> TaskFileReader.read(file));
        List<String> rendered = e.problems().stream().map(Problem::render)
                .map(s -> s.replace(file.toString(), "F").replace(dir.toString(), "D")).toList();
        assertEquals(List.of(
                "F:1:7: error: task: must be a file-name-safe name (letters, digits, . _ -), got 'bad name'",
                "F:2:15: error: dataset_path: no such file: D/missing.jsonl\n  hint: paths are relative to the task"
                        + " file's folder; the recipe's evaluate.tasks item can override dataset_path",
                "F:3:14: error: output_type: unknown value 'multiple_choise'\n  hint: allowed values:"
                        + " multiple_choice, generate_until",
                "F:4:14: error: doc_to_text: invalid Jinja template: Unclosed token",
                "F:6:14: error: num_fewshot: must be at least 0, got -1",
                "F:7:36: error: generation_kwargs.max_tokens: unknown key\n  hint: allowed keys in"
                        + " generation_kwargs: until, max_gen_toks",
                "F:8:17: error: filter.regex: invalid regular expression: Unclosed group",
                "F:9:20: error: metric_list: unknown metric 'bleu'\n  hint: allowed: acc, acc_norm,"
                        + " exact_match, rouge_l, f1",
                "F:9:48: error: metric_list.ignore_cse: unknown key\n  hint: did you mean 'ignore_case'?",
                "F:10:1: error: temperature: unknown key\n  hint: allowed keys at the top level: task, dataset_path,"
                        + " fewshot_path, fewshot_columns, num_fewshot, fewshot_seed, limit, output_type, doc_to_text,"
                        + " doc_to_target, doc_to_choice, target_delimiter, fewshot_delimiter, generation_kwargs,"
                        + " filter, metric_list, apply_chat_template"), rendered);
    }

    @Test
    void multipleChoiceNeedsChoicesAndAcceptsAYamlList() throws IOException {
        Files.writeString(dir.resolve("items.csv"), "q,label\nx,0\n");
        Path file = dir.resolve("mc.yaml");
        Files.writeString(file, """
                task: mc
                dataset_path: items.csv
                output_type: multiple_choice
                doc_to_text: "{{q}}"
                doc_to_target: "{{label}}"
                """);
        RecipeException e = assertThrows(RecipeException.class, () -> TaskFileReader.read(file));
        assertEquals(List.of("doc_to_choice"), e.problems().stream().map(Problem::key).toList());
        Files.writeString(file, Files.readString(file) + "doc_to_choice: [yes, no]\n");
        TaskFile task = TaskFileReader.read(file);
        assertEquals(List.of("yes", "no"), task.choices());
        assertEquals(List.of("acc", "acc_norm"), task.metrics().stream().map(TaskFile.MetricSpec::name).toList());
    }
}
