package dev.workbench.data;

import dev.workbench.data.DatasetCatalog.Entry;
import dev.workbench.data.DatasetFetcher.FetchedFile;
import dev.workbench.data.DatasetFetcher.FetchedSource;
import java.time.Instant;
import java.util.List;

/** The README card of a fetched dataset: what it is, its licence, where its bytes came from, how to use it. */
final class DatasetCard {
    private DatasetCard() {
    }

    /** @param recipePath how a recipe refers to the folder (relative to recipes/ for the default place) */
    static String render(Entry entry, List<FetchedSource> sources, List<FetchedFile> files, List<String> warnings,
                         Instant fetchedAt, String recipePath) {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(entry.title()).append("\n\n");
        md.append(entry.description()).append("\n\n");
        md.append("- Name: `").append(entry.name()).append("`\n");
        md.append("- Domain: ").append(entry.domain()).append('\n');
        md.append("- Licence: ").append(entry.license()).append('\n');
        if (!entry.citation().isEmpty()) {
            md.append("- Cite: ").append(entry.citation()).append('\n');
        }
        if (!entry.homepage().isEmpty()) {
            md.append("- Home page: ").append(entry.homepage()).append('\n');
        }
        md.append("- Fetched: ").append(fetchedAt).append(" by `workbench datasets fetch ").append(entry.name())
                .append("`, converted with `").append(entry.convert().kind().key()).append("`\n\n");

        md.append("## Sources\n\n| source | SHA-256 | verified |\n|---|---|---|\n");
        for (FetchedSource source : sources) {
            md.append("| ").append(source.origin()).append(" | ").append(source.sha256().orElse("(folder)"))
                    .append(" | ").append(source.verified() ? "yes, matches the catalog"
                            : source.expected().isPresent() ? "no (folder)" : "no: the catalog has no hash for it")
                    .append(" |\n");
        }
        md.append("\n## Files\n\n| file | rows | SHA-256 |\n|---|---|---|\n");
        for (FetchedFile file : files) {
            md.append("| `").append(file.name()).append("` | ").append(file.rows()).append(" | ")
                    .append(file.sha256()).append(" |\n");
        }
        md.append("\nRows are data rows (CSV) or documents separated by blank lines (text).");
        if (files.stream().anyMatch(f -> f.name().endsWith(".csv"))
                && sources.size() > 1 && entry.sources().stream().allMatch(s -> s.split().isPresent())) {
            md.append(" The `split` column holds the source's official train/test split: use it with "
                    + "`split: {method: column, column: split}`, or list it under `drop` for a table split by the "
                    + "workbench.");
        }
        if (files.stream().anyMatch(f -> f.name().equals(DatasetConverter.TEXT_TEST))) {
            md.append(" `text_test.txt` holds the official test documents; `text.txt` the training ones.");
        }
        md.append("\n\n## Use in a recipe\n\n```yaml\ncorpus:\n");
        String folder = recipePath.endsWith("/") ? recipePath : recipePath + "/";
        for (FetchedFile file : files) {
            switch (file.name()) {
                case DatasetConverter.LABELLED -> md.append("  labelled: {path: ").append(folder)
                        .append("labelled.csv, text_column: text, label_column: label}\n");
                case DatasetConverter.TEXT -> md.append("  text: {path: ").append(folder).append("text.txt}\n");
                case DatasetConverter.TABLE -> md.append("  table: {path: ").append(folder)
                        .append("table.csv}   # add target: COLUMN, drop: [...]\n");
                default -> {
                }
            }
        }
        md.append("```\n\n(Paths in a recipe are relative to the recipe file; these are for a recipe in `recipes/`.)\n");
        if (!warnings.isEmpty()) {
            md.append("\n## Warnings\n\n");
            for (String warning : warnings) {
                md.append("- ").append(warning).append('\n');
            }
        }
        md.append("\nRedistributing this data is subject to its licence above; it is not part of the workbench "
                + "repository (`datasets/external/` is git-ignored).\n");
        return md.toString();
    }
}
