package dev.blt.waterfill.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Enums whose values are spelled as lower-case, hyphenated ids in config files and on the command line. */
public interface Choice {
    String id();

    /** Finds the constant whose id (or enum name, case-insensitive, '_' for '-') equals {@code text}. */
    static <E extends Enum<E> & Choice> E parse(Class<E> type, String text) {
        String wanted = text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (E e : type.getEnumConstants()) {
            if (e.id().equals(wanted) || e.name().toLowerCase(Locale.ROOT).replace('_', '-').equals(wanted)) {
                return e;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not one of " + ids(type));
    }

    static <E extends Enum<E> & Choice> String ids(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(Choice::id).collect(Collectors.joining("|"));
    }
}
