package dev.workbench.data;

import java.util.List;

/** Train / validation / test parts of one corpus; disjoint, deterministic given the recipe seed. */
public record Splits<T>(List<T> train, List<T> validation, List<T> test) {
}
