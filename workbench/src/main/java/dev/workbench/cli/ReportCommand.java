package dev.workbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.workbench.report.Report;
import dev.workbench.report.ReportBuilder;
import dev.workbench.report.ReportWriter;
import dev.workbench.store.RunFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code workbench report RUN_DIR [--out DIR]}: rebuilds a run's report from its run folder alone. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Rebuild the HTML/Markdown/JSON report of a run from its run folder.")
public final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN_DIR", description = "the run folder (runs/<recipe>/<run-id>)")
    Path runFolder;

    @Option(names = "--out", paramLabel = "DIR",
            description = "where to write (default: reports/<recipe>/<run-id>/ under the current folder)")
    Path out;

    @Option(names = "--format", split = ",", paramLabel = "FORMAT",
            description = "html, markdown, json (default: the recipe's report.formats, else all three)")
    List<String> formats;

    @Override
    public Integer call() throws Exception {
        Report report = ReportBuilder.build(runFolder);
        Path target = out != null ? out
                : Path.of("reports").resolve(report.run().recipeName()).resolve(report.run().runId());
        List<String> wanted = formats != null ? formats : recipeFormats(runFolder);
        for (Path file : ReportWriter.write(report, target, wanted)) {
            if (!file.getParent().getFileName().toString().equals(ReportWriter.CHARTS)) {
                spec.commandLine().getOut().println(file);
            }
        }
        return 0;
    }

    private static List<String> recipeFormats(Path runFolder) throws Exception {
        Path recipe = runFolder.resolve(RunFolder.RESOLVED_RECIPE);
        if (!Files.isRegularFile(recipe)) {
            return ReportWriter.ALL_FORMATS;
        }
        JsonNode formats = new YAMLMapper().readTree(recipe.toFile()).path("report").path("formats");
        List<String> out = new ArrayList<>();
        formats.forEach(f -> out.add(f.asText()));
        return out.isEmpty() ? ReportWriter.ALL_FORMATS : out;
    }
}
