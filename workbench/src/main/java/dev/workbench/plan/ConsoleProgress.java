package dev.workbench.plan;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * {@link Progress} for the console. On a terminal: a progress bar (the progressbar library draws elapsed time and
 * ETA). In logs and CI (no terminal, or {@code CI=true}): plain lines, one format for every stage,
 * <pre>{@code synthesize ctgan: 150/300 steps (50%), elapsed 12 s, eta 12 s; epoch 50/100 generator 0.41 ...}</pre>
 * at the first and the last update and in between only every {@value #LINE_FRACTION_PERCENT}% of the work, but at
 * least every {@value #MAX_SILENCE_SECONDS} s and at most every {@value #MIN_GAP_SECONDS} s, so a fast loop does not
 * flood a log and a slow one is never silent for long. A step that reports nothing for that long (one baseline that
 * trains for minutes) gets a heartbeat: its last line again, with the elapsed time brought up to date.
 */
public final class ConsoleProgress implements Progress {
    static final int LINE_FRACTION_PERCENT = 10;
    static final int MAX_SILENCE_SECONDS = 30;
    static final int MIN_GAP_SECONDS = 2;

    private final PrintStream out;
    private final boolean bar;
    private final LongSupplier nanoClock;
    private final boolean heartbeat;

    ConsoleProgress(PrintStream out, boolean bar, LongSupplier nanoClock, boolean heartbeat) {
        this.out = out;
        this.bar = bar;
        this.nanoClock = nanoClock;
        this.heartbeat = heartbeat;
    }

    private ScheduledExecutorService timer;
    private int openTasks;

    /**
     * Schedules a task's heartbeat on one daemon thread shared by this reporter's open tasks: started with the first,
     * stopped when the last one closes, so idle reporters hold no thread and the JVM never waits for one.
     */
    private synchronized ScheduledFuture<?> beatEvery(Runnable beat, long seconds) {
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "workbench-progress-heartbeat");
                thread.setDaemon(true);
                return thread;
            });
        }
        openTasks++;
        return timer.scheduleAtFixedRate(beat, seconds, seconds, TimeUnit.SECONDS);
    }

    private synchronized void stopBeat(ScheduledFuture<?> beat) {
        beat.cancel(false);
        if (--openTasks == 0) {
            timer.shutdown();
            timer = null;
        }
    }

    /** Bars when {@code out} is the process's stderr on a terminal outside CI; lines otherwise. */
    public static Progress forStream(PrintStream out) {
        boolean terminal = System.console() != null && out == System.err
                && !"true".equalsIgnoreCase(System.getenv("CI"));
        return new ConsoleProgress(out, terminal, System::nanoTime, true);
    }

    /** Plain lines on {@code out}, whatever {@code out} is attached to. */
    public static Progress lines(PrintStream out) {
        return new ConsoleProgress(out, false, System::nanoTime, true);
    }

    /** Plain lines timed by {@code nanoClock}, without the heartbeat thread (tests call {@code heartbeat}). */
    static Progress lines(PrintStream out, LongSupplier nanoClock) {
        return new ConsoleProgress(out, false, nanoClock, false);
    }

    @Override
    public Task start(String name, long alreadyDone, long total, String unit) {
        return bar ? new BarTask(name, alreadyDone, total, unit) : new LineTask(name, alreadyDone, total, unit);
    }

    /** The one line format: name, count, percentage, elapsed, ETA, detail. */
    static String line(String name, long done, long total, String unit, double elapsedSeconds, long doneThisRun,
                       String detail) {
        long left = Math.max(0, total - done);
        String eta = left == 0 ? "0 s" : doneThisRun <= 0 ? "?"
                : Durations.format(elapsedSeconds / doneThisRun * left);
        return String.format(Locale.ROOT, "%s: %,d/%,d %s (%d%%), elapsed %s, eta %s%s", name, done, total, unit,
                total <= 0 ? 100 : Math.round(100.0 * done / total), Durations.format(elapsedSeconds), eta,
                detail == null || detail.isEmpty() ? "" : "; " + detail);
    }

    final class LineTask implements Task {
        private final String name;
        private final long alreadyDone;
        private final long total;
        private final String unit;
        private final long startNanos = nanoClock.getAsLong();
        private long lastPrintedDone = -1;
        private long lastPrintedNanos = startNanos;
        private long lastDone = -1;
        private String lastDetail = "";
        private boolean closed;

        private final ScheduledFuture<?> beat;

        LineTask(String name, long alreadyDone, long total, String unit) {
            this.name = name;
            this.alreadyDone = alreadyDone;
            this.total = total;
            this.unit = unit;
            this.beat = heartbeat ? beatEvery(this::heartbeat, MAX_SILENCE_SECONDS) : null;
        }

        /** The last line again when nothing was printed for {@value #MAX_SILENCE_SECONDS} s. */
        synchronized void heartbeat() {
            long now = nanoClock.getAsLong();
            if (lastDone >= 0 && (now - lastPrintedNanos) / 1e9 >= MAX_SILENCE_SECONDS) {
                print(lastDone, lastDetail, now);
            }
        }

        @Override
        public synchronized void update(long done, String detail) {
            long now = nanoClock.getAsLong();
            lastDone = done;
            lastDetail = detail;
            double sinceLine = (now - lastPrintedNanos) / 1e9;
            boolean first = lastPrintedDone < 0;
            boolean last = done >= total;
            boolean enoughWork = (done - lastPrintedDone) * 100 >= (long) LINE_FRACTION_PERCENT * Math.max(1, total);
            if (first || last || enoughWork && sinceLine >= MIN_GAP_SECONDS || sinceLine >= MAX_SILENCE_SECONDS) {
                print(done, detail, now);
            }
        }

        private void print(long done, String detail, long now) {
            out.println(line(name, done, total, unit, (now - startNanos) / 1e9, done - alreadyDone, detail));
            out.flush();
            lastPrintedDone = done;
            lastPrintedNanos = now;
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (beat != null) {
                stopBeat(beat);
            }
            // a step that ended before its last update (stopped early, failed) still says where it got to
            if (lastDone >= 0 && lastDone != lastPrintedDone) {
                print(lastDone, lastDetail, nanoClock.getAsLong());
            }
        }
    }

    /** The progressbar library's bar; it draws elapsed time and ETA itself. */
    private static final class BarTask implements Task {
        private final ProgressBar progressBar;

        BarTask(String name, long alreadyDone, long total, String unit) {
            // startsFrom: a resumed loop's rate and ETA count only this run's work
            progressBar = new ProgressBarBuilder().setTaskName(name).setInitialMax(total).setUnit(" " + unit, 1)
                    .startsFrom(alreadyDone, Duration.ZERO).setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(500).continuousUpdate().build();
        }

        @Override
        public void update(long done, String detail) {
            progressBar.setExtraMessage(detail == null ? "" : detail);
            progressBar.stepTo(done);
        }

        @Override
        public void close() {
            progressBar.close();
        }
    }
}
