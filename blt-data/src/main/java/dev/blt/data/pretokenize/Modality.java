package dev.blt.data.pretokenize;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The kinds of input a pre-tokenizer exists for. */
public enum Modality {
    TEXT, CODE, IMAGE, AUDIO, PDF, BINARY;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Modality> byName(String name) {
        return Arrays.stream(values()).filter(m -> m.id().equals(name.toLowerCase(Locale.ROOT))).findFirst();
    }

    /** "text, code, ..." for messages. */
    public static String names() {
        return Arrays.stream(values()).map(Modality::id).collect(Collectors.joining(", "));
    }
}
