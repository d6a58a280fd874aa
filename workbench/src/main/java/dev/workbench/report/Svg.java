package dev.workbench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report's charts as small inline SVG documents: grouped bars (with optional interval whiskers), lines, heat maps
 * and horizontal count bars.
 *
 * <p>Written by hand rather than with xchart, on purpose: xchart rasterises (a 16-column pair-trend PNG is ~200 kB, a
 * quickstart page 1.7 MB), its vector export needs the extra VectorGraphics2D library, and its category axis lays
 * every label on one line however many there are, which is how confusion-matrix labels ran into each other. Here the
 * browser lays out the text: labels rotate to vertical when the slot is narrower than the label, long ones are
 * abbreviated with the full name as a tooltip, and every label is a DOM element a test can measure. Tick labels carry
 * the classes {@code x-label} and {@code y-label}; the tests assert that no two boxes of a class overlap.
 */
final class Svg {
    /** One colour per subject, the same on every chart of a page (colour-blind safe). */
    static final List<String> PALETTE = List.of("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
            "#882255", "#44AA99", "#999933", "#555555"); // Okabe–Ito without its yellow (too pale for bars), then Tol
    static final int WIDTH = 640;
    private static final double CHAR = 6.6;       // mean advance of an 11 px sans-serif glyph
    private static final int MAX_LABEL = 22;      // longer tick labels are abbreviated (full text in <title>)
    private static final int COUNT_LABEL = 34;    // class names beside horizontal bars have more room
    private static final int FONT = 11;

    private Svg() {
    }

    /** One data series: a name for the legend, a colour, and a value per category or x (null = absent). */
    record Series(String name, String colour, List<Double> values, List<Double> low, List<Double> high,
                  boolean dashed) {
        static Series of(String name, String colour, List<Double> values) {
            return new Series(name, colour, values, null, null, false);
        }
    }

    /** A line: x and y values of equal length. */
    record Line(String name, String colour, List<? extends Number> x, List<Double> y, boolean dashed) {
    }

    /**
     * Grouped vertical bars: one group per category, one bar per series; {@code low}/{@code high} draw an interval.
     * With one series, {@code barColours} (one per category) may colour each bar by its subject.
     */
    static String bars(String title, List<String> categories, List<Series> series, List<String> barColours,
                       String yTitle, Double yMax) {
        if (categories.isEmpty() || series.isEmpty()) {
            return null;
        }
        double max = yMax != null ? yMax : 0;
        double min = 0;
        for (Series s : series) {
            for (int i = 0; i < categories.size(); i++) {
                Double v = top(s, i);
                if (v != null && !v.isNaN()) {
                    max = yMax != null ? max : Math.max(max, v);
                    min = Math.min(min, s.low() != null && s.low().get(i) != null ? s.low().get(i) : s.values().get(i));
                }
            }
        }
        double[] ticks = ticks(min, max == min ? min + 1 : max);
        double lo = ticks[0];
        double hi = ticks[ticks.length - 1];
        boolean legend = series.size() > 1;
        Layout l = layout(categories, WIDTH, legend ? series.stream().map(Series::name).toList() : List.of(), 260);
        StringBuilder svg = open(title, l);
        yAxis(svg, l, ticks, lo, hi, yTitle);
        double group = l.plotWidth() / categories.size();
        double bar = Math.min(48, group * 0.8 / series.size());
        for (int si = 0; si < series.size(); si++) {
            Series s = series.get(si);
            for (int i = 0; i < categories.size(); i++) {
                Double v = s.values().get(i);
                if (v == null || v.isNaN()) {
                    continue;
                }
                double x = l.left() + group * i + (group - bar * series.size()) / 2 + bar * si;
                double y0 = l.y(0 < lo ? lo : 0, lo, hi);
                double y1 = l.y(v, lo, hi);
                String colour = barColours != null ? barColours.get(i) : s.colour();
                svg.append(String.format(Locale.ROOT,
                        "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s%s: %s"
                                + "</title></rect>", x, Math.min(y0, y1), bar, Math.abs(y0 - y1), colour,
                        Html.escape(legend ? s.name() + ", " : ""), Html.escape(categories.get(i)), ReportBuilder.format(v)));
                if (s.low() != null && s.low().get(i) != null && s.high().get(i) != null) {
                    double cx = x + bar / 2;
                    double a = l.y(s.low().get(i), lo, hi);
                    double b = l.y(s.high().get(i), lo, hi);
                    svg.append(String.format(Locale.ROOT, "<path d=\"M%.1f %.1fV%.1fM%.1f %.1fh8M%.1f %.1fh8\" "
                            + "stroke=\"#1d2733\" fill=\"none\"/>", cx, a, b, cx - 4, a, cx - 4, b));
                }
            }
        }
        xLabels(svg, l, categories);
        legend(svg, l, legend ? series.stream().map(s -> new String[] {s.name(), s.colour()}).toList() : List.of());
        return svg.append("</svg>").toString();
    }

    private static Double top(Series s, int i) {
        Double v = s.values().get(i);
        if (s.high() != null && s.high().get(i) != null) {
            return Math.max(v == null ? 0 : v, s.high().get(i));
        }
        return v;
    }

    /** Lines over a numeric x axis (training steps). */
    static String lines(String title, List<Line> lines, String xTitle, String yTitle) {
        List<Line> drawn = lines.stream().filter(l -> !l.y().isEmpty()).toList();
        if (drawn.isEmpty()) {
            return null;
        }
        double xMin = Double.MAX_VALUE;
        double xMax = -Double.MAX_VALUE;
        double yMin = Double.MAX_VALUE;
        double yMax = -Double.MAX_VALUE;
        for (Line line : drawn) {
            for (int i = 0; i < line.y().size(); i++) {
                double y = line.y().get(i);
                if (Double.isFinite(y)) {
                    xMin = Math.min(xMin, line.x().get(i).doubleValue());
                    xMax = Math.max(xMax, line.x().get(i).doubleValue());
                    yMin = Math.min(yMin, y);
                    yMax = Math.max(yMax, y);
                }
            }
        }
        if (yMin > yMax) {
            return null;
        }
        double[] yTicks = ticks(Math.min(0, yMin), yMax == yMin ? yMax + 1 : yMax);
        double[] xTicks = ticks(Math.min(0, xMin), xMax == xMin ? xMax + 1 : xMax);
        List<String> xNames = new ArrayList<>();
        for (double t : xTicks) {
            xNames.add(ReportBuilder.format(t));
        }
        Layout l = layout(List.of("0000"), WIDTH, drawn.stream().map(Line::name).toList(), 240);
        StringBuilder svg = open(title, l);
        yAxis(svg, l, yTicks, yTicks[0], yTicks[yTicks.length - 1], yTitle);
        double x0 = xTicks[0];
        double x1 = xTicks[xTicks.length - 1];
        for (int i = 0; i < xTicks.length; i++) {
            double x = l.left() + (xTicks[i] - x0) / (x1 - x0) * l.plotWidth();
            svg.append(String.format(Locale.ROOT, "<text class=\"x-label\" x=\"%.1f\" y=\"%.1f\" "
                    + "text-anchor=\"middle\">%s</text>", x, l.plotBottom() + 14.0, Html.escape(xNames.get(i))));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>",
                l.left() + l.plotWidth() / 2, l.plotBottom() + 30.0, Html.escape(xTitle)));
        for (Line line : drawn) {
            StringBuilder d = new StringBuilder();
            for (int i = 0; i < line.y().size(); i++) {
                double y = line.y().get(i);
                if (!Double.isFinite(y)) {
                    continue;
                }
                double x = l.left() + (line.x().get(i).doubleValue() - x0) / (x1 - x0) * l.plotWidth();
                d.append(d.isEmpty() ? "M" : "L").append(String.format(Locale.ROOT, "%.1f %.1f", x,
                        l.y(y, yTicks[0], yTicks[yTicks.length - 1])));
            }
            svg.append("<path d=\"").append(d).append("\" fill=\"none\" stroke=\"").append(line.colour())
                    .append("\" stroke-width=\"1.6\"").append(line.dashed() ? " stroke-dasharray=\"5 3\"" : "")
                    .append("><title>").append(Html.escape(line.name())).append("</title></path>");
        }
        legend(svg, l, drawn.stream().map(s -> new String[] {s.name(), s.colour()}).toList());
        return svg.append("</svg>").toString();
    }

    /**
     * A heat map: {@code rows} down, {@code columns} across, darker = larger; cell values printed when the cells are
     * big enough to hold them.
     *
     * @param pattern how a cell value prints (e.g. {@code %.0f}, {@code %.2f})
     */
    static String heatMap(String id, String title, List<String> rows, List<String> columns, double[][] values,
                          double max, String pattern, String xTitle, String yTitle) {
        if (rows.isEmpty() || columns.isEmpty()) {
            return null;
        }
        int cell = (int) Math.max(18, Math.min(44, 460.0 / Math.max(rows.size(), columns.size())));
        int rowLabel = (int) (CHAR * Math.min(MAX_LABEL, rows.stream().mapToInt(String::length).max().orElse(1))) + 10;
        int colLabel = (int) (CHAR * Math.min(MAX_LABEL, columns.stream().mapToInt(String::length).max().orElse(1)))
                + 10;
        int left = rowLabel + 24;
        int topY = 36;
        int width = Math.max(Math.max(320, (int) (CHAR * title.length()) + 20), left + cell * columns.size() + 90);
        int height = topY + cell * rows.size() + colLabel + 30;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" "
                + "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" font-size=\"%d\" fill=\"#1d2733\" role=\"img\" "
                + "aria-label=\"%s\">"
                + "<title>%s</title>", width, height, width, height, FONT, Html.escape(title), Html.escape(title)));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"13\" font-weight=\"600\">%s</text>",
                8, Html.escape(title)));
        boolean showValues = cell >= 22;
        // cell values share their style once per chart (a 16-column map has 256 of them)
        svg.append("<style>.hm-v{text-anchor:middle;font-size:10px}.hm-w{fill:#fff}</style>");
        double top = max <= 0 ? 1 : max;
        for (int i = 0; i < rows.size(); i++) {
            for (int j = 0; j < columns.size(); j++) {
                double v = values[i][j];
                double t = Double.isNaN(v) ? 0 : Math.max(0, Math.min(1, v / top));
                int x = left + j * cell;
                int y = topY + i * cell;
                svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
                        + "fill=\"%s\"", x, y, cell, cell, Double.isNaN(v) ? "#e2e8f0" : shade(t)));
                // the value once: printed in the cell when it fits, else as the cell's tooltip
                svg.append(showValues || Double.isNaN(v) ? "/>" : "><title>" + Html.escape(rows.get(i)) + " → "
                        + Html.escape(columns.get(j)) + ": " + Html.escape(String.format(Locale.ROOT, pattern, v)) + "</title></rect>");
                if (showValues && !Double.isNaN(v) && v != 0) {
                    svg.append(String.format(Locale.ROOT, "<text class=\"%s\" x=\"%.1f\" y=\"%.1f\">%s</text>",
                            t > 0.55 ? "hm-v hm-w" : "hm-v", x + cell / 2.0, y + cell / 2.0 + 3.5,
                            Html.escape(String.format(Locale.ROOT, pattern, v))));
                }
            }
        }
        for (int i = 0; i < rows.size(); i++) {
            svg.append(String.format(Locale.ROOT, "<text class=\"y-label\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">"
                    + "%s</text>", left - 5, topY + i * cell + cell / 2.0 + 3.5, label(rows.get(i))));
        }
        int labelsTop = topY + rows.size() * cell + 5;
        for (int j = 0; j < columns.size(); j++) {
            double x = left + j * cell + cell / 2.0 + 3.5;
            svg.append(String.format(Locale.ROOT, "<text class=\"x-label\" x=\"%.1f\" y=\"%d\" text-anchor=\"end\" "
                    + "transform=\"rotate(-90 %.1f %d)\">%s</text>", x, labelsTop, x, labelsTop,
                    label(columns.get(j))));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>",
                left + cell * columns.size() / 2.0, labelsTop + colLabel + 14, Html.escape(xTitle)));
        svg.append(String.format(Locale.ROOT, "<text x=\"12\" y=\"%.1f\" text-anchor=\"middle\" "
                + "transform=\"rotate(-90 12 %.1f)\">%s</text>", topY + cell * rows.size() / 2.0,
                topY + cell * rows.size() / 2.0, Html.escape(yTitle)));
        // colour scale: five steps from 0 to max
        int sx = left + cell * columns.size() + 16;
        for (int k = 0; k < 5; k++) {
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"14\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"%d\">%s</text>", sx, topY + k * 16, shade(k / 4.0), sx + 18,
                    topY + k * 16 + 11, Html.escape(String.format(Locale.ROOT, pattern, top * k / 4.0))));
        }
        return svg.append("</svg>").toString();
    }

    /**
     * Horizontal bars with the count printed at each bar's end (label counts). With {@code lastIsRemainder} the last
     * bar (an "others" sum) does not set the scale: it is grey and at most full width, so the classes stay
     * comparable.
     */
    static String countBars(String title, List<String> labels, List<Long> counts, String colour,
                            boolean lastIsRemainder) {
        if (labels.isEmpty()) {
            return null;
        }
        int row = 16;
        int labelWidth = (int) (CHAR * Math.min(COUNT_LABEL, labels.stream().mapToInt(String::length).max()
                .orElse(1))) + 12;
        int topY = 30;
        int height = topY + row * labels.size() + 10;
        int plot = WIDTH - labelWidth - 70;
        int scaled = lastIsRemainder ? counts.size() - 1 : counts.size();
        long max = Math.max(1, counts.subList(0, Math.max(1, scaled)).stream().mapToLong(Long::longValue).max()
                .orElse(1));
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 %d %d\" width=\"%d\" "
                        + "height=\"%d\" font-size=\"%d\" fill=\"#1d2733\" role=\"img\" aria-label=\"%s\">"
                        + "<title>%s</title>", WIDTH, height, WIDTH, height, FONT, Html.escape(title), Html.escape(title)));
        svg.append(String.format(Locale.ROOT, "<text x=\"8\" y=\"18\" font-size=\"13\" font-weight=\"600\">%s</text>",
                Html.escape(title)));
        for (int i = 0; i < labels.size(); i++) {
            int y = topY + i * row;
            double w = plot * Math.min(1, counts.get(i) / (double) max);
            String fill = i < scaled ? colour : "#a0aec0";
            svg.append(String.format(Locale.ROOT, "<text class=\"y-label\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s"
                    + "</text><rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/><text x=\"%.1f\" "
                    + "y=\"%d\">%s</text>", labelWidth - 4, y + 11, label(labels.get(i), COUNT_LABEL), labelWidth, y + 2, w,
                    row - 4, fill, labelWidth + w + 4, y + 11, Html.escape(ReportBuilder.count(counts.get(i)))));
        }
        return svg.append("</svg>").toString();
    }

    // ---- layout ----

    /** Plot area and margins of a chart with category (or numeric) x labels. */
    private record Layout(int width, int height, int left, int top, double plotWidth, double plotHeight,
                          boolean vertical, int legendY, List<String> legend) {
        double plotBottom() {
            return top + plotHeight;
        }

        double y(double v, double lo, double hi) {
            return top + plotHeight * (1 - (v - lo) / (hi - lo));
        }
    }

    private static Layout layout(List<String> categories, int minWidth, List<String> legendNames, int plotHeight) {
        int left = 58;
        int right = 16;
        double slot = (minWidth - left - right) / (double) categories.size();
        int longest = Math.min(MAX_LABEL, categories.stream().mapToInt(String::length).max().orElse(1));
        boolean vertical = CHAR * longest > slot - 6;
        int width = minWidth;
        if (vertical && slot < 16) { // vertical labels need ~16 px each: widen the chart rather than overlap
            width = (int) Math.ceil(left + right + 16.0 * categories.size());
        }
        int legendRows = legendRows(legendNames, width);
        int top = 30 + 16 * legendRows;
        int bottom = (vertical ? (int) (CHAR * longest) + 12 : 22) + 22;
        return new Layout(width, top + plotHeight + bottom, left, top, width - left - right, plotHeight, vertical,
                28, legendNames);
    }

    private static int legendRows(List<String> names, int width) {
        if (names.isEmpty()) {
            return 0;
        }
        int rows = 1;
        double x = 8;
        for (String n : names) {
            double w = 22 + CHAR * n.length() + 12;
            if (x + w > width - 8 && x > 8) {
                rows++;
                x = 8;
            }
            x += w;
        }
        return rows;
    }

    private static StringBuilder open(String title, Layout l) {
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 %d %d\" width=\"%d\" "
                        + "height=\"%d\" font-size=\"%d\" fill=\"#1d2733\" role=\"img\" aria-label=\"%s\">"
                        + "<title>%s</title>",
                l.width(), l.height(), l.width(), l.height(), FONT, Html.escape(title), Html.escape(title)));
        svg.append(String.format(Locale.ROOT, "<text x=\"8\" y=\"18\" font-size=\"13\" font-weight=\"600\">%s</text>",
                Html.escape(title)));
        return svg;
    }

    private static void yAxis(StringBuilder svg, Layout l, double[] ticks, double lo, double hi, String yTitle) {
        for (double t : ticks) {
            double y = l.y(t, lo, hi);
            svg.append(String.format(Locale.ROOT, "<path d=\"M%d %.1fH%.1f\" stroke=\"#e2e8f0\"/><text "
                    + "class=\"y-label\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>", l.left(), y,
                    l.left() + l.plotWidth(), l.left() - 5, y + 3.5, Html.escape(ReportBuilder.format(t))));
        }
        svg.append(String.format(Locale.ROOT, "<path d=\"M%d %dV%.1fH%.1f\" stroke=\"#4a5568\" fill=\"none\"/>",
                l.left(), l.top(), l.plotBottom(), l.left() + l.plotWidth()));
        if (yTitle != null) {
            double mid = l.top() + l.plotHeight() / 2;
            svg.append(String.format(Locale.ROOT, "<text x=\"12\" y=\"%.1f\" text-anchor=\"middle\" "
                    + "transform=\"rotate(-90 12 %.1f)\">%s</text>", mid, mid, Html.escape(yTitle)));
        }
    }

    private static void xLabels(StringBuilder svg, Layout l, List<String> categories) {
        double slot = l.plotWidth() / categories.size();
        for (int i = 0; i < categories.size(); i++) {
            double x = l.left() + slot * i + slot / 2;
            double y = l.plotBottom() + 14;
            if (l.vertical()) {
                svg.append(String.format(Locale.ROOT, "<text class=\"x-label\" x=\"%.1f\" y=\"%.1f\" "
                        + "text-anchor=\"end\" transform=\"rotate(-90 %.1f %.1f)\">%s</text>", x + 3.5, y - 8,
                        x + 3.5, y - 8, label(categories.get(i))));
            } else {
                svg.append(String.format(Locale.ROOT, "<text class=\"x-label\" x=\"%.1f\" y=\"%.1f\" "
                        + "text-anchor=\"middle\">%s</text>", x, y, label(categories.get(i))));
            }
        }
    }

    private static void legend(StringBuilder svg, Layout l, List<String[]> entries) {
        double x = 8;
        int y = l.legendY();
        for (String[] e : entries) {
            double w = 22 + CHAR * e[0].length() + 12;
            if (x + w > l.width() - 8 && x > 8) {
                y += 16;
                x = 8;
            }
            svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"14\" height=\"10\" fill=\"%s\"/>"
                    + "<text class=\"legend\" x=\"%.1f\" y=\"%d\">%s</text>", x, y, e[1], x + 18, y + 9, Html.escape(e[0])));
            x += w;
        }
    }

    /** About five round ticks covering [min, max]. */
    static double[] ticks(double min, double max) {
        double raw = (max - min) / 5;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = magnitude * (raw / magnitude < 1.5 ? 1 : raw / magnitude < 3 ? 2 : raw / magnitude < 7 ? 5 : 10);
        double lo = Math.floor(min / step) * step;
        double hi = Math.ceil(max / step - 1e-9) * step;
        int n = (int) Math.round((hi - lo) / step) + 1;
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = Math.round((lo + i * step) / step * 1e6) / 1e6 * step;
        }
        return out;
    }

    /** White (0) to the report's blue (1). */
    static String shade(double t) {
        int r = (int) Math.round(0xF7 + (0x1F - 0xF7) * t);
        int g = (int) Math.round(0xFB + (0x4E - 0xFB) * t);
        int b = (int) Math.round(0xFF + (0x8C - 0xFF) * t);
        return String.format(Locale.ROOT, "#%02x%02x%02x", r, g, b);
    }

    /** A tick label: abbreviated past {@link #MAX_LABEL} characters, the full text as its tooltip. */
    private static String label(String text) {
        return label(text, MAX_LABEL);
    }

    private static String label(String text, int max) {
        if (text.length() <= max) {
            return Html.escape(text);
        }
        return Html.escape(text.substring(0, max - 1) + "…") + "<title>" + Html.escape(text) + "</title>";
    }

    /** Subject → colour, in first-seen order, so a method keeps its colour on every chart of the page. */
    static Map<String, String> colours(List<String> subjects) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String s : subjects) {
            out.computeIfAbsent(s, k -> PALETTE.get(out.size() % PALETTE.size()));
        }
        return out;
    }

}
