package dev.workbench.recipe;

import java.util.List;
import java.util.Optional;

/**
 * Synthetic rows for corpus.table.
 *
 * @param methods synthesizers to train and compare: ctgan, independent, gaussian-copula, tvae
 * @param rows rows to generate per method; empty = as many as the real training split
 * @param epochs, steps CTGAN budget: the larger of epochs over the training split and {@code steps} generator steps
 * @param augment add synthetic rows (from the first method) to the training split of the downstream tabular model
 * @param augmentRatio synthetic rows added per real training row
 * @param clipToRange clip generated numbers to the range seen in the real data
 */
public record Synthesize(
        List<String> methods,
        Optional<Integer> rows,
        int epochs,
        int steps,
        int batchSize,
        int pac,
        int noiseDim,
        List<Integer> generatorDims,
        List<Integer> criticDims,
        double generatorLearningRate,
        double criticLearningRate,
        boolean logFrequency,
        boolean augment,
        double augmentRatio,
        boolean clipToRange) {
}
