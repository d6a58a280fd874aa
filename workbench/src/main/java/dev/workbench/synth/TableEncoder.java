package dev.workbench.synth;

import dev.workbench.data.ColumnType;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.workbench.data.Table;
import dev.workbench.recipe.WorkbenchException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * CTGAN's data transformer: every numeric column becomes a scalar alpha in (-1, 1) (tanh span) plus a one-hot of its
 * mixture mode (softmax span), with alpha = (x - mu_k) / (4 sigma_k) for a mode k <em>sampled</em> from the posterior
 * (not the argmax, as in RDT's ClusterBasedNormalizer); every categorical or boolean column becomes a one-hot (softmax
 * span). Missing cells: a categorical column gets one extra category; a numeric column gets a two-way softmax span
 * (present, missing) and its missing cells are encoded at the column mean. The inverse takes the argmax of each
 * softmax span.
 */
public final class TableEncoder {
    static final double STD_MULTIPLIER = 4;

    public enum Activation { TANH, SOFTMAX }

    /** A slice of the encoded row vector. */
    public record Span(int start, int width, Activation activation) {
    }

    /**
     * A categorical/boolean column as seen by the conditional vector.
     *
     * @param column index in the profile
     * @param dataStart start of its one-hot span in the encoded row
     * @param condStart start of its one-hot block in the conditional vector
     */
    public record DiscreteColumn(int column, int dataStart, int categories, int condStart) {
    }

    /** Everything needed to encode and decode one column; stored in a generator's config.json. */
    public record ColumnState(
            @JsonProperty("name") String name,
            @JsonProperty("type") ColumnType type,
            @JsonProperty("mixture") BayesianGaussianMixture.Mixture mixture,
            @JsonProperty("fill_value") double fillValue,
            @JsonProperty("categories") List<String> categories,
            @JsonProperty("missing_category") boolean missingCategory,
            @JsonProperty("missing_indicator") boolean missingIndicator) {
    }

    /** The encoder's state as JSON-ready data. */
    public record State(@JsonProperty("columns") List<ColumnState> columns) {
    }

    /**
     * An encoded table.
     *
     * @param data rows x width, row-major
     * @param categoryIndex per discrete column, the category index of each row
     */
    public record Encoded(float[] data, int rows, int width, int[][] categoryIndex) {
    }

    private final TableProfile profile;
    private final List<ColumnState> columns;
    private final List<Span> spans = new ArrayList<>();
    private final List<DiscreteColumn> discrete = new ArrayList<>();
    private final int[] columnStart;
    private final List<Map<String, Integer>> categoryLookup = new ArrayList<>();
    private final int width;
    private final int condWidth;

    private TableEncoder(TableProfile profile, List<ColumnState> columns) {
        this.profile = profile;
        this.columns = List.copyOf(columns);
        this.columnStart = new int[columns.size()];
        int offset = 0;
        int condOffset = 0;
        for (int c = 0; c < columns.size(); c++) {
            ColumnState column = columns.get(c);
            columnStart[c] = offset;
            Map<String, Integer> lookup = new HashMap<>();
            if (column.type().numeric()) {
                int modes = column.mixture().validComponents().length;
                spans.add(new Span(offset, 1, Activation.TANH));
                spans.add(new Span(offset + 1, modes, Activation.SOFTMAX));
                offset += 1 + modes;
                if (column.missingIndicator()) {
                    spans.add(new Span(offset, 2, Activation.SOFTMAX));
                    offset += 2;
                }
            } else {
                for (int i = 0; i < column.categories().size(); i++) {
                    lookup.put(column.categories().get(i), i);
                }
                int categories = categoryCount(column);
                spans.add(new Span(offset, categories, Activation.SOFTMAX));
                discrete.add(new DiscreteColumn(c, offset, categories, condOffset));
                offset += categories;
                condOffset += categories;
            }
            categoryLookup.add(lookup);
        }
        this.width = offset;
        this.condWidth = condOffset;
    }

    private static int categoryCount(ColumnState column) {
        return Math.max(1, column.categories().size() + (column.missingCategory() ? 1 : 0));
    }

    /** Fits the per-column transforms on {@code train} (mixtures on the non-missing values of numeric columns). */
    public static TableEncoder fit(Table train, TableProfile profile) {
        List<ColumnState> states = new ArrayList<>();
        for (ColumnProfile column : profile.columns()) {
            int index = train.columnIndex(column.name());
            if (column.type().numeric()) {
                double[] values = train.rows().stream()
                        .mapToDouble(row -> TableProfiler.numericValue(column, row.get(index)))
                        .filter(v -> !Double.isNaN(v)).toArray();
                boolean anyMissing = values.length < train.rows().size();
                if (values.length == 0) {
                    values = new double[] {0};
                }
                double mean = 0;
                for (double v : values) {
                    mean += v;
                }
                mean /= values.length;
                states.add(new ColumnState(column.name(), column.type(), BayesianGaussianMixture.fit(values), mean,
                        List.of(), false, anyMissing || column.hasMissing()));
            } else {
                boolean anyMissing = column.hasMissing()
                        || train.rows().stream().anyMatch(row -> TableProfiler.isMissing(row.get(index)));
                states.add(new ColumnState(column.name(), column.type(), null, 0, column.categories(), anyMissing,
                        false));
            }
        }
        return new TableEncoder(profile, states);
    }

    public static TableEncoder fromState(TableProfile profile, State state) {
        return new TableEncoder(profile, state.columns());
    }

    public State state() {
        return new State(columns);
    }

    public TableProfile profile() {
        return profile;
    }

    public List<Span> spans() {
        return List.copyOf(spans);
    }

    public List<DiscreteColumn> discreteColumns() {
        return List.copyOf(discrete);
    }

    /** Width of an encoded row. */
    public int width() {
        return width;
    }

    /** Width of the conditional vector: the categories of all discrete columns. */
    public int condWidth() {
        return condWidth;
    }

    public int modes(int column) {
        ColumnState state = columns.get(column);
        return state.type().numeric() ? state.mixture().validComponents().length : 0;
    }

    /** The discrete column for a profile column name, or null when that column is numeric or unknown. */
    public DiscreteColumn discreteColumn(String name) {
        for (DiscreteColumn column : discrete) {
            if (columns.get(column.column()).name().equals(name)) {
                return column;
            }
        }
        return null;
    }

    /** Index of a category value in a discrete column; -1 when the value was never seen. Missing spellings map to
     * the missing category when the column has one. */
    public int categoryIndex(DiscreteColumn column, String value) {
        ColumnState state = columns.get(column.column());
        if (TableProfiler.isMissing(value)) {
            return state.missingCategory() ? state.categories().size() : -1;
        }
        return categoryLookup.get(column.column()).getOrDefault(value, -1);
    }

    /** The spelling a category index decodes to. */
    public String categoryValue(DiscreteColumn column, int index) {
        ColumnState state = columns.get(column.column());
        if (index >= state.categories().size()) {
            return profile.columns().get(column.column()).missingToken();
        }
        return state.categories().get(index);
    }

    /** Encodes every row of {@code table} (which must have the profiled columns). {@code random} drives the mode
     * sampling. */
    public Encoded encode(Table table, Random random) {
        int rows = table.rows().size();
        float[] data = new float[rows * width];
        int[][] categoryIndex = new int[discrete.size()][rows];
        int[] tableIndex = new int[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            tableIndex[c] = table.columnIndex(columns.get(c).name());
        }
        int discreteNumber = 0;
        for (int c = 0; c < columns.size(); c++) {
            ColumnState column = columns.get(c);
            ColumnProfile columnProfile = profile.columns().get(c);
            int start = columnStart[c];
            if (column.type().numeric()) {
                int[] keep = column.mixture().validComponents();
                double[] offsets = column.mixture().offsets();
                for (int r = 0; r < rows; r++) {
                    double x = TableProfiler.numericValue(columnProfile, table.rows().get(r).get(tableIndex[c]));
                    boolean missing = Double.isNaN(x);
                    if (missing) {
                        x = column.fillValue();
                    }
                    double[] posterior = column.mixture().posterior(x, offsets);
                    double total = 0;
                    for (int k : keep) {
                        total += posterior[k] + 1e-6;
                    }
                    double u = random.nextDouble() * total;
                    int chosen = keep.length - 1;
                    for (int j = 0; j < keep.length; j++) {
                        u -= posterior[keep[j]] + 1e-6;
                        if (u <= 0) {
                            chosen = j;
                            break;
                        }
                    }
                    int k = keep[chosen];
                    double alpha = (x - column.mixture().means()[k])
                            / (STD_MULTIPLIER * Math.max(column.mixture().std(k), 1e-12));
                    int base = r * width + start;
                    data[base] = (float) Math.max(-0.99, Math.min(0.99, alpha));
                    data[base + 1 + chosen] = 1;
                    if (column.missingIndicator()) {
                        data[base + 1 + keep.length + (missing ? 1 : 0)] = 1;
                    }
                }
            } else {
                DiscreteColumn d = discrete.get(discreteNumber);
                for (int r = 0; r < rows; r++) {
                    String cell = table.rows().get(r).get(tableIndex[c]);
                    int index = categoryIndex(d, cell);
                    if (index < 0) {
                        throw WorkbenchException.invalid("column '" + column.name() + "' holds '" + cell
                                + "', a value not seen when the encoder was fitted");
                    }
                    data[r * width + start + index] = 1;
                    categoryIndex[discreteNumber][r] = index;
                }
                discreteNumber++;
            }
        }
        return new Encoded(data, rows, width, categoryIndex);
    }

    /**
     * Decodes activated generator output (tanh alphas, softmax/one-hot spans) into table rows in the columns' own
     * spelling. With {@code clip}, numbers are clipped to the range seen in training.
     */
    public Table decode(float[] data, int rows, boolean clip) {
        List<List<String>> out = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            List<String> row = new ArrayList<>(columns.size());
            int discreteNumber = 0;
            for (int c = 0; c < columns.size(); c++) {
                ColumnState column = columns.get(c);
                ColumnProfile columnProfile = profile.columns().get(c);
                int base = r * width + columnStart[c];
                if (column.type().numeric()) {
                    int[] keep = column.mixture().validComponents();
                    int chosen = argMax(data, base + 1, keep.length);
                    boolean missing = column.missingIndicator() && argMax(data, base + 1 + keep.length, 2) == 1;
                    if (missing) {
                        row.add(columnProfile.missingToken());
                    } else {
                        int k = keep[chosen];
                        double alpha = Math.max(-1, Math.min(1, data[base]));
                        double x = alpha * STD_MULTIPLIER * column.mixture().std(k) + column.mixture().means()[k];
                        row.add(TableProfiler.format(columnProfile, x, clip));
                    }
                } else {
                    DiscreteColumn d = discrete.get(discreteNumber++);
                    row.add(categoryValue(d, argMax(data, base, d.categories())));
                }
            }
            out.add(row);
        }
        return new Table(profile.columnNames(), out);
    }

    private static int argMax(float[] data, int start, int length) {
        int best = 0;
        for (int i = 1; i < length; i++) {
            if (data[start + i] > data[start + best]) {
                best = i;
            }
        }
        return best;
    }
}
