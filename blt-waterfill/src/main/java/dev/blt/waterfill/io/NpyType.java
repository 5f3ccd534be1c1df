package dev.blt.waterfill.io;

import java.nio.ByteOrder;

/**
 * A numpy dtype descriptor such as {@code '<f4'}: byte order, kind ('f' float, 'i' signed, 'u' unsigned,
 * 'b' bool, 'U' UTF-32 string) and item size in bytes.
 */
public record NpyType(ByteOrder order, char kind, int size) {
    public static final NpyType F32 = new NpyType(ByteOrder.LITTLE_ENDIAN, 'f', 4);
    public static final NpyType F64 = new NpyType(ByteOrder.LITTLE_ENDIAN, 'f', 8);
    public static final NpyType I32 = new NpyType(ByteOrder.LITTLE_ENDIAN, 'i', 4);

    /** A UTF-32 string of {@code chars} characters. */
    public static NpyType unicode(int chars) {
        return new NpyType(ByteOrder.LITTLE_ENDIAN, 'U', 4 * chars);
    }

    /** Parses a descriptor; throws IllegalArgumentException for anything this reader cannot decode. */
    public static NpyType parse(String descr) {
        if (descr.length() < 3) {
            throw new IllegalArgumentException("unsupported dtype '" + descr + "'");
        }
        char o = descr.charAt(0);
        ByteOrder order = o == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        if (o != '<' && o != '>' && o != '|' && o != '=') {
            throw new IllegalArgumentException("unsupported dtype '" + descr + "'");
        }
        char kind = descr.charAt(1);
        int n;
        try {
            n = Integer.parseInt(descr.substring(2));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("unsupported dtype '" + descr + "'");
        }
        boolean ok = switch (kind) {
            case 'f' -> n == 2 || n == 4 || n == 8;
            case 'i', 'u' -> n == 1 || n == 2 || n == 4 || n == 8;
            case 'b' -> n == 1;
            case 'U' -> n >= 0;
            default -> false;
        };
        if (!ok) {
            throw new IllegalArgumentException("unsupported dtype '" + descr + "'");
        }
        return new NpyType(order, kind, kind == 'U' ? 4 * n : n);
    }

    public String descr() {
        char o = size == 1 && kind != 'U' ? '|' : order == ByteOrder.BIG_ENDIAN ? '>' : '<';
        return "" + o + kind + (kind == 'U' ? size / 4 : size);
    }

    public boolean numeric() {
        return kind != 'U';
    }

    /** numpy's name for it: float32, int64, bool, &lt;U12, ... */
    public String name() {
        return switch (kind) {
            case 'f' -> "float" + 8 * size;
            case 'i' -> "int" + 8 * size;
            case 'u' -> "uint" + 8 * size;
            case 'b' -> "bool";
            default -> descr();
        };
    }
}
