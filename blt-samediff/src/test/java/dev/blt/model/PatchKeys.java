package dev.blt.model;

import dev.blt.patching.PatchOptions;

/** Decodes fixture patching keys: {@code t<threshold>[.mono][.add<threshold_add>][.maxlen<n>][.next]}. */
final class PatchKeys {
    private PatchKeys() {
    }

    static PatchOptions parse(String key) {
        String rest = key;
        boolean next = rest.endsWith(".next");
        if (next) {
            rest = rest.substring(0, rest.length() - 5);
        }
        Integer maxLen = null;
        int i = rest.indexOf(".maxlen");
        if (i >= 0) {
            maxLen = Integer.parseInt(rest.substring(i + 7));
            rest = rest.substring(0, i);
        }
        Double add = null;
        i = rest.indexOf(".add");
        if (i >= 0) {
            add = Double.parseDouble(rest.substring(i + 4));
            rest = rest.substring(0, i);
        }
        boolean mono = rest.endsWith(".mono");
        if (mono) {
            rest = rest.substring(0, rest.length() - 5);
        }
        if (!rest.startsWith("t")) {
            throw new IllegalArgumentException("not a patch key: " + key);
        }
        return new PatchOptions(Double.parseDouble(rest.substring(1)), add, mono, maxLen, next);
    }
}
