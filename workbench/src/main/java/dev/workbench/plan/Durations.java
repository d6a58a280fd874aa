package dev.workbench.plan;

import java.util.Locale;

/** Durations for people: {@code 4.2 s}, {@code 42 s}, {@code 27 min 31 s}, {@code 2 h 03 min}. */
public final class Durations {
    private Durations() {
    }

    public static String format(double seconds) {
        if (!Double.isFinite(seconds) || seconds < 0) {
            return "?";
        }
        if (seconds < 10) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        long whole = Math.round(seconds);
        if (whole < 60) {
            return whole + " s";
        }
        if (whole < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", whole / 60, whole % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", whole / 3600, whole % 3600 / 60);
    }
}
