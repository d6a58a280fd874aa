package dev.workbench.recipe;

import java.util.Optional;

/**
 * How each corpus is split into train/validation/test. Deterministic given the recipe seed.
 *
 * @param column with method COLUMN, the column holding train/validation/test
 * @param dedupe remove exact duplicates that would leak across splits (they are always detected and reported)
 */
public record Split(Method method, double validation, double test, Optional<String> column, boolean dedupe) {

    public enum Method { RANDOM, STRATIFIED, COLUMN }
}
