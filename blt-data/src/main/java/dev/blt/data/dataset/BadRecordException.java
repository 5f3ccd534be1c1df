package dev.blt.data.dataset;

/** One record cannot be read; the rest of its file still can. */
final class BadRecordException extends Exception {
    private final String position;

    /** @param position e.g. {@code line 3}, {@code row 7}; {@code null} when the record is the whole file */
    BadRecordException(String position, String message) {
        super(message);
        this.position = position;
    }

    String position() {
        return position;
    }
}
