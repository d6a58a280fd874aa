package dev.workbench.recipe;

/**
 * A failure the user must act on. Its {@link Kind} decides the exit code (only {@code cli} turns it into one), so
 * code anywhere in the pipeline says what went wrong without knowing about processes.
 */
public class WorkbenchException extends RuntimeException {

    /** Exit codes, documented in the README. */
    public enum Kind {
        STAGE_FAILED(1), INVALID_INPUT(2), ENVIRONMENT(3), DIVERGED(4);

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
