package dev.blt.data.dataset;

/** Unreadable input under {@link OnError#FAIL}, or an input path that names nothing; the message names the file. */
public final class DatasetException extends RuntimeException {
    private final transient BadInput problem;

    public DatasetException(BadInput problem, Throwable cause) {
        super(problem.toString(), cause);
        this.problem = problem;
    }

    public DatasetException(String message) {
        super(message);
        this.problem = null;
    }

    /** The problem in the data, or {@code null} when the inputs themselves were wrong (no such file, no match). */
    public BadInput problem() {
        return problem;
    }
}
