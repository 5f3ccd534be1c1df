package dev.blt.cli;

/** A problem with what the user gave (a file, an option); printed as one line, without a stack trace. */
public class UserError extends RuntimeException {
    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
