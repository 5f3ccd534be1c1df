package dev.blt.ingest;

import java.util.Locale;

/** What kind of bytes a document holds; {@link #AUTO} asks for detection. Names as given to {@code --modality}. */
public enum Modality {
    AUTO, TEXT, CODE, IMAGE, AUDIO, PDF, BINARY;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Modality parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown modality '" + s + "' (auto, text, code, image, audio, pdf or binary)");
        }
    }
}
