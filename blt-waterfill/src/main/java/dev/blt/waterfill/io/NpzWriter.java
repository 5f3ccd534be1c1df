package dev.blt.waterfill.io;

import dev.blt.data.io.AtomicFiles;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes an {@code .npz} that {@code numpy.load} reads unchanged: one {@code <name>.npy} zip entry per array
 * (STORED like {@code np.savez}, or DEFLATED like {@code np.savez_compressed}), little-endian, C order. The file
 * appears atomically (temporary file, then rename). Stored entries need their CRC before the data, so each array is
 * serialized twice (CRC pass, write pass) instead of being buffered: a 3 GB array costs no extra memory.
 */
public final class NpzWriter {
    private static final int CHUNK = 1 << 16;
    private static final java.time.LocalDateTime FIXED_TIME = java.time.LocalDateTime.of(1980, 1, 1, 0, 0);

    @FunctionalInterface
    private interface Data {
        void writeTo(OutputStream out) throws IOException;
    }

    private record Entry(String name, NpyHeader header, Data data) {
    }

    private final List<Entry> entries = new ArrayList<>();
    private final boolean compress;

    public NpzWriter(boolean compress) {
        this.compress = compress;
    }

    public NpzWriter addFloats(String name, float[] values, long... shape) {
        check(name, values.length, shape);
        entries.add(new Entry(name, new NpyHeader(NpyType.F32, false, shape.clone()), out -> {
            ByteBuffer b = ByteBuffer.allocate(CHUNK * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (int s = 0; s < values.length; s += CHUNK) {
                int k = Math.min(CHUNK, values.length - s);
                b.clear();
                b.asFloatBuffer().put(values, s, k);
                out.write(b.array(), 0, 4 * k);
            }
        }));
        return this;
    }

    public NpzWriter addDoubles(String name, double[] values, long... shape) {
        check(name, values.length, shape);
        entries.add(new Entry(name, new NpyHeader(NpyType.F64, false, shape.clone()), out -> {
            ByteBuffer b = ByteBuffer.allocate(CHUNK * 8).order(ByteOrder.LITTLE_ENDIAN);
            for (int s = 0; s < values.length; s += CHUNK) {
                int k = Math.min(CHUNK, values.length - s);
                b.clear();
                b.asDoubleBuffer().put(values, s, k);
                out.write(b.array(), 0, 8 * k);
            }
        }));
        return this;
    }

    public NpzWriter addInts(String name, int[] values, long... shape) {
        check(name, values.length, shape);
        entries.add(new Entry(name, new NpyHeader(NpyType.I32, false, shape.clone()), out -> {
            ByteBuffer b = ByteBuffer.allocate(CHUNK * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (int s = 0; s < values.length; s += CHUNK) {
                int k = Math.min(CHUNK, values.length - s);
                b.clear();
                b.asIntBuffer().put(values, s, k);
                out.write(b.array(), 0, 4 * k);
            }
        }));
        return this;
    }

    /** A 0-d unicode array ({@code str(np.load(f)[name])} gives the text back; no pickle needed). */
    public NpzWriter addString(String name, String text) {
        int chars = text.codePointCount(0, text.length());
        byte[] utf32 = text.getBytes(java.nio.charset.Charset.forName("UTF-32LE"));
        entries.add(new Entry(name, new NpyHeader(NpyType.unicode(Math.max(1, chars)), false, new long[0]), out -> {
            out.write(utf32);
            if (chars == 0) {
                out.write(new byte[4]);
            }
        }));
        return this;
    }

    private void check(String name, int length, long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        if (n != length) {
            throw new IllegalArgumentException("array '" + name + "': " + length + " values do not fit shape "
                    + java.util.Arrays.toString(shape));
        }
        if (entries.stream().anyMatch(e -> e.name.equals(name))) {
            throw new IllegalArgumentException("duplicate array name '" + name + "'");
        }
    }

    public void write(Path target) throws IOException {
        AtomicFiles.write(target, raw -> {
            ZipOutputStream zip = new ZipOutputStream(raw, StandardCharsets.UTF_8);
            for (Entry e : entries) {
                byte[] header = e.header.encode();
                ZipEntry ze = new ZipEntry(e.name + ".npy");
                // a fixed timestamp: the same arrays give the same bytes, so reruns can be compared by checksum
                ze.setTimeLocal(FIXED_TIME);
                if (compress) {
                    ze.setMethod(ZipEntry.DEFLATED);
                } else {
                    CrcSink crc = new CrcSink();
                    crc.write(header);
                    e.data.writeTo(crc);
                    ze.setMethod(ZipEntry.STORED);
                    ze.setSize(crc.count);
                    ze.setCompressedSize(crc.count);
                    ze.setCrc(crc.crc.getValue());
                }
                zip.putNextEntry(ze);
                zip.write(header);
                e.data.writeTo(zip);
                zip.closeEntry();
            }
            zip.finish();
        });
    }

    /** Counts bytes and their CRC-32 without keeping them. */
    private static final class CrcSink extends OutputStream {
        final CRC32 crc = new CRC32();
        long count;

        @Override
        public void write(int b) {
            crc.update(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            crc.update(b, off, len);
            count += len;
        }
    }
}
