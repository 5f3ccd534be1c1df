package dev.blt.data.pretokenize;

import java.io.IOException;

/** The input cannot be pre-tokenized as the requested modality (not that format, corrupt, unsupported variant). */
public class PreTokenizeException extends IOException {
    public PreTokenizeException(String message) {
        super(message);
    }

    public PreTokenizeException(String message, Throwable cause) {
        super(message, cause);
    }
}
