package dev.workbench.cli;

import dev.workbench.data.DatasetCatalog;
import dev.workbench.data.DatasetFetcher;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code workbench datasets list|fetch}: the public datasets of datasets/catalog.yaml. */
@Command(name = "datasets",
        description = "Public datasets you can fetch (datasets/catalog.yaml).",
        mixinStandardHelpOptions = true,
        subcommands = {DatasetsCommand.ListDatasets.class, DatasetsCommand.Fetch.class})
public final class DatasetsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    private static DatasetCatalog catalog(Path file) {
        return file == null ? DatasetCatalog.load() : DatasetCatalog.read(file);
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Print the catalog: name, domain, licence, files produced, whether hashes are known.")
    static final class ListDatasets implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--catalog", paramLabel = "FILE", description = "Another catalog file.")
        Path catalogFile;

        @Override
        public Integer call() {
            DatasetCatalog catalog = catalog(catalogFile);
            var out = spec.commandLine().getOut();
            String format = "%-24s %-17s %-22s %-21s %s%n";
            out.printf(format, "NAME", "DOMAIN", "LICENCE", "CONVERT", "HASHES");
            for (DatasetCatalog.Entry entry : catalog.datasets()) {
                out.printf(format, entry.name(), entry.domain(), shorten(entry.license(), 22),
                        entry.convert().kind().key(), entry.verified() ? "verified" : "unverified");
                out.printf("  %s%n", entry.description());
            }
            out.printf("%n%d datasets. HASHES: verified = the catalog records each file's SHA-256 and fetch refuses "
                    + "other bytes;%nunverified = no SHA-256 is recorded yet: fetch warns, writes the SHA-256 it got "
                    + "into the dataset card; nothing%nchecks that the bytes are the ones the catalog was written for.%n"
                    + "Fetch one with: workbench datasets fetch NAME [--out DIR] [--from URL-or-file]%n",
                    catalog.datasets().size());
            return 0;
        }

        private static String shorten(String text, int width) {
            return text.length() <= width ? text : text.substring(0, width - 3) + "...";
        }
    }

    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = {"Download a catalog dataset over HTTPS, verify its SHA-256, convert it to the workbench "
                    + "layout and write it to datasets/external/NAME/ (with a README card).",
                    "This is the only command that opens a network connection."})
    static final class Fetch implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME", description = "A name from `workbench datasets list`.")
        String name;

        @Option(names = {"--out", "--to"}, paramLabel = "DIR",
                description = "Folder to write (default: datasets/external/NAME in the repository).")
        Path to;

        @Option(names = "--from", paramLabel = "URL-or-file",
                description = "Use this URL or local file instead of the catalog's source; repeat once per source, "
                        + "in catalog order. A local file needs no network.")
        List<String> from = new ArrayList<>();

        @Option(names = "--force", description = "Replace the folder if it exists.")
        boolean force;

        @Option(names = "--catalog", paramLabel = "FILE", description = "Another catalog file.")
        Path catalogFile;

        @Override
        public Integer call() {
            DatasetCatalog catalog = catalog(catalogFile);
            DatasetCatalog.Entry entry = catalog.find(name);
            Path target = to != null ? to : DatasetFetcher.defaultFolder(DatasetCatalog.repoRoot(), entry.name());
            var err = spec.commandLine().getErr();
            DatasetFetcher.Result result = new DatasetFetcher(line -> {
                err.println(line);
                err.flush();
            }).fetch(entry, target, from, force);
            var out = spec.commandLine().getOut();
            for (String warning : result.warnings()) {
                spec.commandLine().getErr().println("warning: " + warning);
            }
            for (DatasetFetcher.FetchedFile file : result.files()) {
                out.printf("%s  %d rows%n", result.folder().resolve(file.name()), file.rows());
            }
            out.printf("card: %s%n", result.folder().resolve(DatasetFetcher.CARD));
            return 0;
        }
    }
}
