package dev.blt.waterfill.io;

import dev.blt.data.tensors.HalfFloats;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.util.function.DoubleConsumer;

/**
 * Decodes the data of an {@code .npy} array that follows its {@link NpyHeader}, in chunks, so a 3 GB array never
 * needs a second 3 GB byte copy. Every numeric dtype converts to float/double; Fortran-ordered arrays are returned in
 * C (row-major) order.
 */
public final class NpyReader {
    private static final int CHUNK = 1 << 20;

    private NpyReader() {
    }

    /** All elements as float32, row-major. */
    public static float[] readFloats(NpyHeader h, InputStream in, String source) throws IOException {
        float[] out = new float[checkedCount(h, source)];
        int[] pos = {0};
        if (h.type().kind() == 'f' && h.type().size() == 4) {
            chunks(h, in, source, b -> {
                int k = b.remaining() / 4;
                b.asFloatBuffer().get(out, pos[0], k);
                pos[0] += k;
            });
        } else {
            forEach(h, in, source, v -> out[pos[0]++] = (float) v);
        }
        return h.fortranOrder() ? toRowMajor(out, h.shape()) : out;
    }

    /** All elements as doubles, row-major. */
    public static double[] readDoubles(NpyHeader h, InputStream in, String source) throws IOException {
        double[] out = new double[checkedCount(h, source)];
        int[] pos = {0};
        forEach(h, in, source, v -> out[pos[0]++] = v);
        if (!h.fortranOrder()) {
            return out;
        }
        return toRowMajor(out, h.shape());
    }

    /** A 'U' (UTF-32) array's elements joined; for the 0-d config entry that is its text. */
    public static String readString(NpyHeader h, InputStream in, String source) throws IOException {
        if (h.type().kind() != 'U') {
            throw new IOException(source + ": is " + h.type().name() + ", not a string array");
        }
        Charset utf32 = Charset.forName(h.type().order() == ByteOrder.BIG_ENDIAN ? "UTF-32BE" : "UTF-32LE");
        StringBuilder sb = new StringBuilder();
        chunks(h, in, source, b -> {
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            sb.append(new String(bytes, utf32));
        });
        return sb.toString().replace("\0", "");
    }

    /** Streams every numeric element (file order) as a double. */
    public static void forEach(NpyHeader h, InputStream in, String source, DoubleConsumer sink) throws IOException {
        NpyType t = h.type();
        if (!t.numeric()) {
            throw new IOException(source + ": is a " + t.descr() + " string array, not numbers");
        }
        chunks(h, in, source, b -> {
            while (b.remaining() >= t.size()) {
                sink.accept(element(b, t));
            }
        });
    }

    private static double element(ByteBuffer b, NpyType t) {
        return switch (t.kind()) {
            case 'f' -> t.size() == 2 ? HalfFloats.f16ToFloat(b.getShort()) : t.size() == 4 ? b.getFloat() : b.getDouble();
            case 'i' -> switch (t.size()) {
                case 1 -> b.get();
                case 2 -> b.getShort();
                case 4 -> b.getInt();
                default -> b.getLong();
            };
            case 'u' -> switch (t.size()) {
                case 1 -> b.get() & 0xff;
                case 2 -> b.getShort() & 0xffff;
                case 4 -> b.getInt() & 0xffffffffL;
                default -> unsignedLong(b.getLong());
            };
            default -> b.get() != 0 ? 1 : 0;
        };
    }

    private static double unsignedLong(long v) {
        return v >= 0 ? v : (v >>> 1) * 2.0 + (v & 1);
    }

    @FunctionalInterface
    private interface ChunkSink {
        void accept(ByteBuffer chunk) throws IOException;
    }

    /** Feeds the data in buffers holding whole elements, in the array's byte order; fails on a short stream. */
    private static void chunks(NpyHeader h, InputStream in, String source, ChunkSink sink) throws IOException {
        long remaining = h.dataBytes();
        int item = Math.max(1, h.type().size());
        byte[] buf = new byte[Math.max(item, CHUNK / item * item)];
        while (remaining > 0) {
            int want = (int) Math.min(buf.length, remaining);
            int got = in.readNBytes(buf, 0, want);
            if (got < want) {
                throw new IOException(source + ": truncated .npy data: " + (h.dataBytes() - remaining + got)
                        + " of " + h.dataBytes() + " bytes");
            }
            sink.accept(ByteBuffer.wrap(buf, 0, got).order(h.type().order()));
            remaining -= got;
        }
    }

    private static int checkedCount(NpyHeader h, String source) throws IOException {
        long n = h.count();
        if (n > Integer.MAX_VALUE - 8) {
            throw new IOException(source + ": " + n + " elements are too many for one Java array");
        }
        return (int) n;
    }

    /** Column-major (first axis fastest) to row-major. */
    static float[] toRowMajor(float[] f, long[] shape) {
        float[] c = new float[f.length];
        int[] map = rowMajorIndex(shape, f.length);
        for (int p = 0; p < f.length; p++) {
            c[map[p]] = f[p];
        }
        return c;
    }

    static double[] toRowMajor(double[] f, long[] shape) {
        double[] c = new double[f.length];
        int[] map = rowMajorIndex(shape, f.length);
        for (int p = 0; p < f.length; p++) {
            c[map[p]] = f[p];
        }
        return c;
    }

    /** For each column-major position, its row-major position. */
    private static int[] rowMajorIndex(long[] shape, int n) {
        int rank = shape.length;
        long[] cStride = new long[rank];
        long s = 1;
        for (int a = rank - 1; a >= 0; a--) {
            cStride[a] = s;
            s *= shape[a];
        }
        int[] map = new int[n];
        for (int p = 0; p < n; p++) {
            long rest = p;
            long c = 0;
            for (int a = 0; a < rank; a++) {
                c += (rest % shape[a]) * cStride[a];
                rest /= shape[a];
            }
            map[p] = (int) c;
        }
        return map;
    }
}
