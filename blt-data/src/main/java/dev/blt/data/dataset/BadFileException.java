package dev.blt.data.dataset;

/** A file cannot be read (any further): not found, corrupt, wrong schema, empty. */
final class BadFileException extends Exception {
    BadFileException(String message) {
        super(message);
    }

    BadFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
