package dev.blt.data.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An output could not be written (a full disk, no permission): not bad input, so callers can tell the user to free
 * room and resume rather than to fix their data. The message names the file.
 */
public final class OutputException extends IOException {
    public OutputException(Path file, IOException cause) {
        super(file + ": cannot write: " + (cause.getMessage() == null ? cause.toString() : cause.getMessage()), cause);
    }
}
