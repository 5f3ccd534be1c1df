package dev.blt.data.tensors;

import dev.blt.data.io.AtomicFiles;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects tensors and writes them as one {@code .safetensors} file, atomically (temporary file, then rename).
 * Float data can be stored as F32, BF16 or F16; the conversion happens while writing.
 */
public final class SafeTensorsWriter {

    private record Entry(String name, DType dtype, long[] shape, Object data) {
        long byteSize() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n * dtype.bytes();
        }
    }

    private final List<Entry> entries = new ArrayList<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    public SafeTensorsWriter metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    public SafeTensorsWriter metadata(Map<String, String> values) {
        metadata.putAll(values);
        return this;
    }

    public SafeTensorsWriter addFloats(String name, float[] data, DType dtype, long... shape) {
        if (dtype != DType.F32 && dtype != DType.BF16 && dtype != DType.F16) {
            throw new IllegalArgumentException("float data can be stored as F32, BF16 or F16, not " + dtype);
        }
        return add(name, dtype, shape, data, data.length);
    }

    public SafeTensorsWriter addFloats(String name, float[] data, long... shape) {
        return addFloats(name, data, DType.F32, shape);
    }

    public SafeTensorsWriter addLongs(String name, long[] data, long... shape) {
        return add(name, DType.I64, shape, data, data.length);
    }

    public SafeTensorsWriter addInts(String name, int[] data, long... shape) {
        return add(name, DType.I32, shape, data, data.length);
    }

    private SafeTensorsWriter add(String name, DType dtype, long[] shape, Object data, int length) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        if (n != length) {
            throw new IllegalArgumentException("tensor '" + name + "': " + length + " values do not fit shape "
                    + Arrays.toString(shape));
        }
        if (name.equals("__metadata__") || entries.stream().anyMatch(e -> e.name.equals(name))) {
            throw new IllegalArgumentException("duplicate or reserved tensor name '" + name + "'");
        }
        entries.add(new Entry(name, dtype, shape.clone(), data));
        return this;
    }

    public void write(Path target) throws IOException {
        byte[] header = header();
        AtomicFiles.write(target, out -> {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length);
            out.write(len.array());
            out.write(header);
            for (Entry e : entries) {
                writeData(e, out);
            }
        });
    }

    private byte[] header() throws IOException {
        SafeTensorsHeader h = new SafeTensorsHeader(metadata);
        long offset = 0;
        for (Entry e : entries) {
            h.tensor(e.name, e.dtype, e.shape, offset, offset + e.byteSize());
            offset += e.byteSize();
        }
        byte[] json = h.bytes();
        int padded = (json.length + 7) / 8 * 8;
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }

    private static void writeData(Entry e, OutputStream out) throws IOException {
        final int chunk = 1 << 14;
        ByteBuffer buf = ByteBuffer.allocate(chunk * 8).order(ByteOrder.LITTLE_ENDIAN);
        int n = java.lang.reflect.Array.getLength(e.data);
        for (int start = 0; start < n; start += chunk) {
            buf.clear();
            TensorBytes.encode(e.data, start, Math.min(chunk, n - start), e.dtype, buf);
            out.write(buf.array(), 0, buf.position());
        }
    }
}
