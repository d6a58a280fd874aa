package dev.workbench.eval;

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
 * CSV (otherwise the real file is split {@link SyntheticEvaluation#FILE_TRAIN_SHARE} / rest, seeded, exactly as
 * {@link SyntheticEvaluation#evaluateFiles}) and optionally SDV single-table metadata for the column types.
 */
public final class SyntheticFileEvaluation {
    private SyntheticFileEvaluation() {
    }

    public static SyntheticEvaluation.Result evaluate(Path realFile, Path syntheticFile, Optional<Path> holdoutFile,
                                                      Optional<Path> metadataFile, Optional<String> target, long seed)
            throws IOException {
        Table real = RunFiles.readTable(realFile);
        Table synthetic = RunFiles.readTable(syntheticFile);
        Optional<SdvMetadata> metadata = metadataFile.isPresent()
                ? Optional.of(SdvMetadata.read(metadataFile.get())) : Optional.empty();
        if (metadata.isPresent()) {
            metadata.get().check(metadataFile.get(), realFile, real.columns());
        }
        List<String> columns = new ArrayList<>(real.columns());
        metadata.ifPresent(m -> columns.removeAll(m.dropped()));
        if (target.isPresent() && !columns.contains(target.get())) {
            throw WorkbenchException.invalid(realFile + ":1: no target column '" + target.get() + "' (header: "
                    + columns + (metadata.isPresent() ? ", id columns dropped" : "") + ")");
        }
        List<List<String>> train;
        List<List<String>> holdout;
        if (holdoutFile.isPresent()) {
            Table h = RunFiles.readTable(holdoutFile.get());
            train = RunFiles.align(real, columns);
            holdout = RunFiles.align(h, columns);
            if (holdout.size() < SyntheticEvaluation.DETECTION_FOLDS) {
                throw WorkbenchException.invalid(holdoutFile.get() + ": needs at least "
                        + SyntheticEvaluation.DETECTION_FOLDS + " rows, has " + holdout.size());
            }
        } else {
            if (real.rows().size() < 2 * SyntheticEvaluation.DETECTION_FOLDS) {
                throw WorkbenchException.invalid(realFile + ": needs at least " + 2 * SyntheticEvaluation.DETECTION_FOLDS
                        + " rows, has " + real.rows().size());
            }
            // Same seeded shuffle and cut as SyntheticEvaluation.evaluateFiles, so both forms agree.
            List<List<String>> rows = new ArrayList<>(RunFiles.align(real, columns));
            Collections.shuffle(rows, new Random(seed));
            int cut = (int) Math.round(rows.size() * SyntheticEvaluation.FILE_TRAIN_SHARE);
            train = rows.subList(0, cut);
            holdout = rows.subList(cut, rows.size());
        }
        List<List<String>> syn = RunFiles.align(synthetic, columns);
        Map<String, String> types = Map.of();
        if (metadata.isPresent()) {
            SdvMetadata m = metadata.get();
            train = m.convertDatetimes(columns, train);
            holdout = m.convertDatetimes(columns, holdout);
            syn = m.convertDatetimes(columns, syn);
            types = m.columnTypes();
        }
        // Types inferred on the whole real file (as evaluateFiles does); metadata types override.
        List<List<String>> allReal = new ArrayList<>(train);
        if (holdoutFile.isEmpty()) {
            allReal.addAll(holdout);
        }
        List<ColumnKind> kinds = ColumnKind.infer(columns, allReal, types);
        return SyntheticEvaluation.evaluate(new SyntheticEvaluation.Inputs(List.copyOf(columns), kinds, holdout, train,
                syn, target), seed);
    }
}
