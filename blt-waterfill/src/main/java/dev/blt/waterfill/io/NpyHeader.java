package dev.blt.waterfill.io;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The preamble of an {@code .npy} file: magic {@code \x93NUMPY}, version, header length, and a Python dict literal
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }} padded so the data start at a multiple of 64.
 */
public record NpyHeader(NpyType type, boolean fortranOrder, long[] shape) {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    public long count() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public long dataBytes() {
        return Math.multiplyExact(count(), (long) type.size());
    }

    public String shapeString() {
        return Arrays.toString(shape).replace('[', '(').replace(']', ')');
    }

    /** Reads and validates the preamble; messages name {@code source}. */
    public static NpyHeader read(InputStream in, String source) throws IOException {
        DataInputStream data = new DataInputStream(in);
        byte[] magic = new byte[8];
        try {
            data.readFully(magic);
        } catch (EOFException e) {
            throw new IOException(source + ": truncated .npy (shorter than its magic)");
        }
        if (!Arrays.equals(Arrays.copyOf(magic, 6), MAGIC)) {
            throw new IOException(source + ": not an .npy array (bad magic)");
        }
        int major = magic[6];
        if (major < 1 || major > 3) {
            throw new IOException(source + ": unsupported .npy version " + major + "." + magic[7]);
        }
        byte[] len = new byte[major == 1 ? 2 : 4];
        byte[] text;
        try {
            data.readFully(len);
            long headerLen = major == 1 ? ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xffff
                    : ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
            if (headerLen > 1 << 20) {
                throw new IOException(source + ": .npy header of " + headerLen + " bytes is implausibly long");
            }
            text = new byte[(int) headerLen];
            data.readFully(text);
        } catch (EOFException e) {
            throw new IOException(source + ": truncated .npy header");
        }
        String dict = new String(text, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        return parse(dict, source);
    }

    static NpyHeader parse(String dict, String source) throws IOException {
        Matcher d = DESCR.matcher(dict);
        Matcher f = FORTRAN.matcher(dict);
        Matcher s = SHAPE.matcher(dict);
        if (!d.find() || !f.find() || !s.find()) {
            throw new IOException(source + ": malformed .npy header: " + dict.trim());
        }
        NpyType type;
        try {
            type = NpyType.parse(d.group(1));
        } catch (IllegalArgumentException e) {
            throw new IOException(source + ": " + e.getMessage());
        }
        String[] parts = s.group(1).split(",");
        long[] shape = Arrays.stream(parts).map(String::trim).filter(p -> !p.isEmpty()).mapToLong(p -> {
            try {
                return Long.parseLong(p.endsWith("L") ? p.substring(0, p.length() - 1) : p);
            } catch (NumberFormatException e) {
                return -1;
            }
        }).toArray();
        if (Arrays.stream(shape).anyMatch(x -> x < 0)) {
            throw new IOException(source + ": malformed .npy shape (" + s.group(1) + ")");
        }
        NpyHeader h = new NpyHeader(type, f.group(1).equals("True"), shape);
        try {
            h.dataBytes();
        } catch (ArithmeticException e) {
            throw new IOException(source + ": .npy shape " + h.shapeString() + " overflows");
        }
        return h;
    }

    /** The full preamble, version 1.0 unless the dict needs more than 65535 bytes. */
    public byte[] encode() {
        StringBuilder dict = new StringBuilder("{'descr': '").append(type.descr()).append("', 'fortran_order': ")
                .append(fortranOrder ? "True" : "False").append(", 'shape': (");
        for (int i = 0; i < shape.length; i++) {
            dict.append(shape[i]).append(shape.length == 1 ? "," : i + 1 < shape.length ? ", " : "");
        }
        dict.append("), }");
        int fixed = 10;
        int total = fixed + dict.length() + 1;
        boolean v2 = total > 65535;
        if (v2) {
            fixed = 12;
            total = fixed + dict.length() + 1;
        }
        int padded = (total + 63) / 64 * 64;
        dict.append(" ".repeat(padded - total)).append('\n');
        ByteBuffer b = ByteBuffer.allocate(padded).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) (v2 ? 2 : 1)).put((byte) 0);
        if (v2) {
            b.putInt(dict.length());
        } else {
            b.putShort((short) dict.length());
        }
        b.put(dict.toString().getBytes(StandardCharsets.ISO_8859_1));
        return b.array();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NpyHeader h && h.type.equals(type) && h.fortranOrder == fortranOrder
                && Arrays.equals(h.shape, shape);
    }

    @Override
    public int hashCode() {
        return type.hashCode() * 31 + Arrays.hashCode(shape);
    }
}
