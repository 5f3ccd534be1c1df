package dev.blt.data.pretokenize;

/** Byte-level UTF-8 scanning that never replaces bytes, so offsets stay offsets into the input. */
final class Utf8 {
    private Utf8() {
    }

    /** Length of the well-formed UTF-8 sequence at {@code i} (1-4), or 0 if the byte there starts none. */
    static int sequenceLength(byte[] d, int i) {
        int b = d[i] & 0xff;
        if (b < 0x80) {
            return 1;
        }
        int n;
        int min;
        if (b >= 0xC2 && b <= 0xDF) {
            n = 2;
            min = 0x80;
        } else if (b >= 0xE0 && b <= 0xEF) {
            n = 3;
            min = 0x800;
        } else if (b >= 0xF0 && b <= 0xF4) {
            n = 4;
            min = 0x10000;
        } else {
            return 0;
        }
        if (i + n > d.length) {
            return 0;
        }
        for (int k = 1; k < n; k++) {
            if ((d[i + k] & 0xC0) != 0x80) {
                return 0;
            }
        }
        int cp = codePoint(d, i, n);
        boolean surrogate = cp >= 0xD800 && cp <= 0xDFFF;
        return cp >= min && cp <= 0x10FFFF && !surrogate ? n : 0;
    }

    /** The code point of the well-formed sequence of length {@code n} at {@code i}. */
    static int codePoint(byte[] d, int i, int n) {
        if (n == 1) {
            return d[i] & 0xff;
        }
        int cp = d[i] & (0xFF >>> (n + 1));
        for (int k = 1; k < n; k++) {
            cp = cp << 6 | (d[i + k] & 0x3F);
        }
        return cp;
    }

    /** Whether the whole array is well-formed UTF-8. */
    static boolean isValid(byte[] d) {
        for (int i = 0; i < d.length; ) {
            int n = sequenceLength(d, i);
            if (n == 0) {
                return false;
            }
            i += n;
        }
        return true;
    }
}
