package dev.workbench.data;

/** One example of the labelled text set. {@code id} is stable (file:line or row number). */
public record LabelledExample(String id, String text, String label) {
}
