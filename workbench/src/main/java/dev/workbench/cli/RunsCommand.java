package dev.workbench.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.workbench.store.RunManifest;
import dev.workbench.store.RunStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code runs list}: the run folders and their status; an interrupted run is never listed as complete. */
@Command(name = "runs", mixinStandardHelpOptions = true, description = "Inspect run folders.",
        subcommands = {RunsCommand.ListRuns.class})
public final class RunsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List runs, newest first, with their status.")
    static final class ListRuns implements java.util.concurrent.Callable<Integer> {
        private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

        @Option(names = "--runs", paramLabel = "DIR", defaultValue = "runs",
                description = "The runs folder (default: ${DEFAULT-VALUE}).")
        Path runsRoot;

        @Option(names = "--json", description = "Print JSON instead of a table.")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            List<RunStore.RunEntry> runs = new RunStore(runsRoot).list();
            if (json) {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (RunStore.RunEntry run : runs) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("run_id", run.runId());
                    row.put("recipe", run.recipeName());
                    row.put("status", run.status());
                    row.put("complete", run.complete());
                    row.put("started_at", run.manifest().map(RunManifest::startedAt).orElse(null));
                    row.put("folder", run.folder().toString());
                    rows.add(row);
                }
                out.println(JSON.writeValueAsString(rows));
            } else if (runs.isEmpty()) {
                out.println("no runs in " + runsRoot.toAbsolutePath().normalize());
            } else {
                String format = "%-24s %-20s %-11s %s%n";
                out.printf(format, "RUN", "RECIPE", "STATUS", "FOLDER");
                for (RunStore.RunEntry run : runs) {
                    out.printf(format, run.runId(), run.recipeName(), run.status(), run.folder());
                }
            }
            out.flush();
            return CommandLine.ExitCode.OK;
        }
    }
}
