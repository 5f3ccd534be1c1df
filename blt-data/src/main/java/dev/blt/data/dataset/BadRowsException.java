package dev.blt.data.dataset;

/** A run of records cannot be read (a damaged Parquet row group); the records after it still can. */
final class BadRowsException extends Exception {
    private final String position;
    private final long rows;

    /**
     * @param position e.g. {@code row group 3}
     * @param rows     how many records are lost: they still take their ordinals, so later records keep theirs
     */
    BadRowsException(String position, String message, long rows, Throwable cause) {
        super(message, cause);
        this.position = position;
        this.rows = rows;
    }

    String position() {
        return position;
    }

    long rows() {
        return rows;
    }
}
