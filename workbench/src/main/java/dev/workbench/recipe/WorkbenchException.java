package dev.workbench.recipe;

/**
 * A failure the user must act on. Its {@link Kind} decides the exit code (only {@code cli} turns it into one), so
 * code anywhere in the pipeline says what went wrong without knowing about processes.
 */
public class WorkbenchException extends RuntimeException {

    /** Exit codes, documented in the README. */
    public enum Kind {
        STAGE_FAILED(1), INVALID_INPUT(2), ENVIRONMENT(3), DIVERGED(4),
        /** {@code --resume} with a {@code --set} that differs from what the run was trained with. */
        RESUME_CONFLICT(5),
        /** Another process is writing the same run folder. */
        RUN_LOCKED(6),
        /** No space left on device while writing a file of the run. */
        DISK_FULL(7);

        /** Ctrl-C (SIGINT): the JVM's own 128 + 2; the run folder stays resumable. */
        public static final int INTERRUPTED_EXIT_CODE = 130;

        private final int exitCode;

        Kind(int exitCode) {
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    private final Kind kind;

    public WorkbenchException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public WorkbenchException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public static WorkbenchException invalid(String message) {
        return new WorkbenchException(Kind.INVALID_INPUT, message);
    }

    public static WorkbenchException environment(String message) {
        return new WorkbenchException(Kind.ENVIRONMENT, message);
    }
}
