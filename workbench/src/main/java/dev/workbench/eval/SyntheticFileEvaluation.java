package dev.workbench.eval;

import dev.workbench.data.ColumnType;
import dev.workbench.data.Table;
import dev.workbench.recipe.WorkbenchException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * {@code workbench evaluate-synthetic} on files from any tool: a real CSV, a synthetic CSV, optionally a real holdout
 * CSV and optionally SDV metadata for the column types (single-table, or SDV 1.x multi-table V1 with {@code --table}).
 * Shapes, pair trends, quality and new-row synthesis compare with the whole real file, as SDMetrics' QualityReport
 * does. The holdout-based figures (detection, TSTR/TRTR, DCR) use the holdout file, or without one a seeded
 * {@link SyntheticEvaluation#FILE_TRAIN_SHARE} / rest split of the real file, and then say TSTR is optimistic.
 */
public final class SyntheticFileEvaluation {
    private SyntheticFileEvaluation() {
    }

    /** Shared real bin edges, SDV metadata's table picked only when it has one table. */
    public static SyntheticEvaluation.Result evaluate(Path realFile, Path syntheticFile, Optional<Path> holdoutFile,
                                                      Optional<Path> metadataFile, Optional<String> target, long seed)
            throws IOException {
        return evaluate(realFile, syntheticFile, holdoutFile, metadataFile, Optional.empty(), target,
                SyntheticMetrics.PairBinning.REAL_EDGES, seed);
    }

    /**
     * @param table   the table of multi-table SDV metadata to use ({@code --table}); needed when it has several
     * @param binning how numeric columns are binned for numeric × categorical pairs
     */
    public static SyntheticEvaluation.Result evaluate(Path realFile, Path syntheticFile, Optional<Path> holdoutFile,
                                                      Optional<Path> metadataFile, Optional<String> table,
                                                      Optional<String> target, SyntheticMetrics.PairBinning binning,
                                                      long seed)
            throws IOException {
        Table real = CsvFiles.readTable(realFile);
        Table synthetic = CsvFiles.readTable(syntheticFile);
        Optional<SdvMetadata> metadata = metadataFile.isPresent()
                ? Optional.of(SdvMetadata.read(metadataFile.get(), table)) : Optional.empty();
        if (metadata.isPresent()) {
            metadata.get().check(metadataFile.get(), realFile, real.columns());
        }
        List<String> columns = new ArrayList<>(real.columns());
        // With metadata, only the columns it types are scored (SDMetrics scores the metadata's columns, not the file's).
        metadata.ifPresent(m -> columns.retainAll(m.columnTypes().keySet()));
        if (target.isPresent() && !columns.contains(target.get())) {
            throw WorkbenchException.invalid(realFile + ":1: no target column '" + target.get() + "' (header: "
                    + columns + (metadata.isPresent() ? ", the metadata's non-id columns" : "") + ")");
        }
        List<List<String>> train;
        List<List<String>> holdout;
        List<List<String>> whole = CsvFiles.align(real, columns);
        if (holdoutFile.isPresent()) {
            Table h = CsvFiles.readTable(holdoutFile.get());
            train = whole;
            holdout = CsvFiles.align(h, columns);
            if (holdout.size() < SyntheticEvaluation.DETECTION_FOLDS) {
                throw WorkbenchException.invalid(holdoutFile.get() + ": needs at least "
                        + SyntheticEvaluation.DETECTION_FOLDS + " rows, has " + holdout.size());
            }
        } else {
            if (real.rows().size() < 2 * SyntheticEvaluation.DETECTION_FOLDS) {
                throw WorkbenchException.invalid(realFile + ": needs at least " + 2 * SyntheticEvaluation.DETECTION_FOLDS
                        + " rows, has " + real.rows().size());
            }
            List<List<String>> rows = new ArrayList<>(whole);
            Collections.shuffle(rows, new Random(seed));
            int cut = (int) Math.round(rows.size() * SyntheticEvaluation.FILE_TRAIN_SHARE);
            train = rows.subList(0, cut);
            holdout = rows.subList(cut, rows.size());
        }
        List<List<String>> syn = CsvFiles.align(synthetic, columns);
        Map<String, String> overrides = Map.of();
        if (metadata.isPresent()) {
            SdvMetadata m = metadata.get();
            whole = m.convertDatetimes(columns, whole);
            train = m.convertDatetimes(columns, train);
            holdout = m.convertDatetimes(columns, holdout);
            syn = m.convertDatetimes(columns, syn);
            overrides = m.columnTypes();
        }
        // Types inferred on the whole real file by the profiler's rule; metadata types override.
        List<ColumnType> types = ColumnType.forColumns(columns, whole, overrides);
        return SyntheticEvaluation.evaluate(new SyntheticEvaluation.Inputs(List.copyOf(columns), types, whole, holdout,
                train, syn, target, binning, holdoutFile.isPresent() ? SyntheticEvaluation.Holdout.TRUE_HOLDOUT
                        : SyntheticEvaluation.Holdout.SPLIT_OF_REAL), seed);
    }
}
