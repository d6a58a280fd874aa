package dev.workbench.plan;

/**
 * Observes the long steps of a run (training steps, synthesizer steps, evaluation parts, report files) and shows them
 * to a person: elapsed time and an estimate of the time left, in one format for every stage. Stages only report where
 * they are; how (and whether) that is shown is the implementation's business ({@link ConsoleProgress}), so progress
 * never changes what a stage computes.
 */
public interface Progress {

    /**
     * A long step of {@code total} {@code unit}s (e.g. 300 "steps") begins, {@code alreadyDone} of them done before
     * (a resumed loop); close the task when it ends.
     */
    Task start(String name, long alreadyDone, long total, String unit);

    /** {@link #start(String, long, long, String)} from zero. */
    default Task start(String name, long total, String unit) {
        return start(name, 0, total, unit);
    }

    /** One long step in progress. */
    interface Task extends AutoCloseable {
        /**
         * @param done units finished so far (absolute, not an increment)
         * @param detail what a person wants next to the count (losses, the part being worked on); may be empty
         */
        void update(long done, String detail);

        /** The step ended (finished, stopped early or failed). */
        @Override
        void close();
    }

    /** Shows nothing: for benchmarks and callers that print their own results. */
    static Progress silent() {
        return (name, alreadyDone, total, unit) -> new Task() {
            @Override
            public void update(long done, String detail) {
            }

            @Override
            public void close() {
            }
        };
    }
}
