package dev.workbench.data;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Counts of (gold, predicted) pairs. {@code counts.get(i).get(j)} = items whose gold label is {@code labels[i]} and
 * whose prediction is {@code labels[j]}. Labels are the sorted union of gold and predicted labels, as in scikit-learn.
 */
public record ConfusionMatrix(@JsonProperty("labels") List<String> labels,
                              @JsonProperty("counts") List<List<Long>> counts) {

    public static ConfusionMatrix of(List<String> gold, List<String> predicted) {
        ClassificationMetrics.requireSameSize(gold, predicted);
        TreeSet<String> all = new TreeSet<>(gold);
        all.addAll(predicted);
        List<String> labels = List.copyOf(all);
        java.util.Map<String, Integer> index = new java.util.HashMap<>();
        for (String label : labels) {
            index.put(label, index.size());
        }
        long[][] cells = new long[labels.size()][labels.size()];
        for (int i = 0; i < gold.size(); i++) {
            cells[index.get(gold.get(i))][index.get(predicted.get(i))]++;
        }
        List<List<Long>> counts = new ArrayList<>();
        for (long[] row : cells) {
            List<Long> r = new ArrayList<>();
            for (long c : row) {
                r.add(c);
            }
            counts.add(List.copyOf(r));
        }
        return new ConfusionMatrix(labels, List.copyOf(counts));
    }

    public long count(int goldIndex, int predictedIndex) {
        return counts.get(goldIndex).get(predictedIndex);
    }

    public long total() {
        return counts.stream().flatMap(List::stream).mapToLong(Long::longValue).sum();
    }

    /** Items whose gold label is {@code labels[i]}. */
    public long support(int i) {
        return counts.get(i).stream().mapToLong(Long::longValue).sum();
    }

    public long predictedCount(int j) {
        long sum = 0;
        for (List<Long> row : counts) {
            sum += row.get(j);
        }
        return sum;
    }

    /** Precision of class i; 0 when the class was never predicted (scikit-learn's zero_division=0). */
    public double precision(int i) {
        long predicted = predictedCount(i);
        return predicted == 0 ? 0.0 : (double) count(i, i) / predicted;
    }

    /** Recall of class i; 0 when the class never occurs in gold. */
    public double recall(int i) {
        long support = support(i);
        return support == 0 ? 0.0 : (double) count(i, i) / support;
    }

    public double f1(int i) {
        double p = precision(i);
        double r = recall(i);
        return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
    }

    public double accuracy() {
        long total = total();
        long correct = 0;
        for (int i = 0; i < labels.size(); i++) {
            correct += count(i, i);
        }
        return total == 0 ? Double.NaN : (double) correct / total;
    }

    /** Unweighted mean of per-class F1 over every label in the matrix. */
    public double macroF1() {
        if (labels.isEmpty()) {
            return Double.NaN;
        }
        double sum = 0;
        for (int i = 0; i < labels.size(); i++) {
            sum += f1(i);
        }
        return sum / labels.size();
    }

    public List<PerClass> perClass() {
        List<PerClass> rows = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            rows.add(new PerClass(labels.get(i), precision(i), recall(i), f1(i), support(i)));
        }
        return rows;
    }

    /** One row of a per-class table. */
    public record PerClass(@JsonProperty("label") String label, @JsonProperty("precision") double precision,
                           @JsonProperty("recall") double recall, @JsonProperty("f1") double f1,
                           @JsonProperty("support") long support) {
    }
}
