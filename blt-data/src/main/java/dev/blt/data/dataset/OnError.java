package dev.blt.data.dataset;

/** What a {@link DocumentStream} does with input it cannot read. */
public enum OnError {
    /** Throw a {@link DatasetException} naming the file and row. */
    FAIL,
    /** Pass the problem to the {@link BadInputListener}, count it, and go on with the next record or file. */
    SKIP_AND_REPORT
}
