package dev.blt.data.tensors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A validated, memory-mapped view of one {@code .safetensors} file.
 *
 * <p>The whole header is checked when the file is opened (size bounds, JSON, dtypes, shapes, that every byte
 * range lies inside the file, matches its shape and overlaps no other), so a later read cannot fail half way.
 * Tensor data are mapped per tensor on demand; a closed file keeps already returned arrays valid.
 */
public final class SafeTensorsFile implements TensorSource {
    /** The reference implementation refuses headers above 100 MB; so do we. */
    public static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;
    private static final long MAX_MAP = Integer.MAX_VALUE - 8;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path path;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;

    private SafeTensorsFile(Path path, FileChannel channel, long dataStart,
                            Map<String, TensorInfo> tensors, Map<String, String> metadata) {
        this.path = path;
        this.channel = channel;
        this.dataStart = dataStart;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    public static SafeTensorsFile open(Path path) throws SafeTensorsException {
        FileChannel ch;
        try {
            ch = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new SafeTensorsException(path, "file not found");
        } catch (IOException e) {
            throw new SafeTensorsException(path, "cannot open: " + e.getMessage());
        }
        try {
            return parse(path, ch);
        } catch (SafeTensorsException | RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    private static SafeTensorsFile parse(Path path, FileChannel ch) throws SafeTensorsException {
        long size = size(path, ch);
        if (size < 8) {
            throw new SafeTensorsException(path, "truncated: " + size + " bytes, shorter than the 8-byte header length");
        }
        ByteBuffer lenBuf = read(path, ch, 0, 8);
        long headerLen = lenBuf.order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        if (headerLen < 2 || headerLen > MAX_HEADER_BYTES) {
            throw new SafeTensorsException(path, "header length " + headerLen
                    + " is outside [2, " + MAX_HEADER_BYTES + "] (not a safetensors file, or corrupt)");
        }
        if (8 + headerLen > size) {
            throw new SafeTensorsException(path, "truncated: header claims " + headerLen
                    + " bytes but the file has only " + (size - 8) + " after the length");
        }
        byte[] headerBytes = new byte[(int) headerLen];
        read(path, ch, 8, (int) headerLen).get(headerBytes);
        JsonNode root;
        try {
            root = JSON.readTree(new String(headerBytes, StandardCharsets.UTF_8).trim());
        } catch (JsonProcessingException e) {
            throw new SafeTensorsException(path, "malformed JSON header: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new SafeTensorsException(path, "malformed header: not a JSON object");
        }
        long dataStart = 8 + headerLen;
        long dataLen = size - dataStart;
        Map<String, String> metadata = new LinkedHashMap<>();
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("__metadata__")) {
                readMetadata(path, e.getValue(), metadata);
            } else {
                tensors.put(e.getKey(), readInfo(path, e.getKey(), e.getValue(), dataLen));
            }
        }
        checkNoOverlap(path, tensors);
        return new SafeTensorsFile(path, ch, dataStart, Collections.unmodifiableMap(tensors),
                Collections.unmodifiableMap(metadata));
    }

    private static void readMetadata(Path path, JsonNode node, Map<String, String> out) throws SafeTensorsException {
        if (!node.isObject()) {
            throw new SafeTensorsException(path, "malformed header: __metadata__ is not an object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> m = it.next();
            if (!m.getValue().isTextual()) {
                throw new SafeTensorsException(path, "malformed header: __metadata__ value '" + m.getKey()
                        + "' is not a string");
            }
            out.put(m.getKey(), m.getValue().asText());
        }
    }

    private static TensorInfo readInfo(Path path, String name, JsonNode node, long dataLen) throws SafeTensorsException {
        if (!node.isObject()) {
            throw new SafeTensorsException(path, name, "header entry is not an object");
        }
        JsonNode dt = node.get("dtype");
        DType dtype = dt != null && dt.isTextual() ? DType.parse(dt.asText()) : null;
        if (dtype == null) {
            throw new SafeTensorsException(path, name, "unknown or missing dtype " + dt);
        }
        JsonNode sh = node.get("shape");
        JsonNode off = node.get("data_offsets");
        if (sh == null || !sh.isArray() || off == null || !off.isArray() || off.size() != 2) {
            throw new SafeTensorsException(path, name, "missing or malformed shape/data_offsets");
        }
        long[] shape = new long[sh.size()];
        long numel = 1;
        for (int i = 0; i < shape.length; i++) {
            if (!sh.get(i).canConvertToLong() || sh.get(i).asLong() < 0) {
                throw new SafeTensorsException(path, name, "invalid dimension " + sh.get(i));
            }
            shape[i] = sh.get(i).asLong();
            try {
                numel = Math.multiplyExact(numel, shape[i]);
            } catch (ArithmeticException e) {
                throw new SafeTensorsException(path, name, "shape " + sh + " overflows");
            }
        }
        long begin = off.get(0).asLong(-1);
        long end = off.get(1).asLong(-1);
        if (begin < 0 || end < begin) {
            throw new SafeTensorsException(path, name, "invalid data_offsets " + off);
        }
        if (end > dataLen) {
            throw new SafeTensorsException(path, name, "truncated: data ends at byte " + end
                    + " of the data section but the file holds only " + dataLen);
        }
        if (end - begin != numel * dtype.bytes()) {
            throw new SafeTensorsException(path, name, "byte range of " + (end - begin) + " does not fit shape "
                    + java.util.Arrays.toString(shape) + " of " + dtype);
        }
        return new TensorInfo(name, dtype, shape, begin, end);
    }

    private static void checkNoOverlap(Path path, Map<String, TensorInfo> tensors) throws SafeTensorsException {
        List<TensorInfo> sorted = new ArrayList<>(tensors.values());
        sorted.sort(Comparator.comparingLong(TensorInfo::begin));
        for (int i = 1; i < sorted.size(); i++) {
            TensorInfo a = sorted.get(i - 1);
            TensorInfo b = sorted.get(i);
            if (b.begin() < a.end()) {
                throw new SafeTensorsException(path, b.name(), "data overlaps tensor '" + a.name() + "'");
            }
        }
    }

    @Override
    public String format() {
        return "safetensors";
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Tensor entries in header order. */
    @Override
    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    @Override
    public TensorInfo info(String name) throws SafeTensorsException {
        TensorInfo t = tensors.get(name);
        if (t == null) {
            throw new SafeTensorsException(path, name, "not in file");
        }
        return t;
    }

    @Override
    public float[] readFloats(String name) throws SafeTensorsException {
        TensorInfo t = info(name);
        if (!t.dtype().isFloating()) {
            throw new SafeTensorsException(path, name, "is " + t.dtype() + ", expected a floating type");
        }
        return TensorBytes.toFloats(map(t), t.dtype(), checkedCount(t));
    }

    /** Any integer or bool tensor as longs. */
    public long[] readLongs(String name) throws SafeTensorsException {
        TensorInfo t = info(name);
        int n = checkedCount(t);
        long[] out = new long[n];
        ByteBuffer b = map(t);
        for (int i = 0; i < n; i++) {
            out[i] = switch (t.dtype()) {
                case I64 -> b.getLong(i * 8);
                case I32 -> b.getInt(i * 4);
                case I16 -> b.getShort(i * 2);
                case I8 -> b.get(i);
                case U8, BOOL -> b.get(i) & 0xff;
                default -> throw new SafeTensorsException(path, name, "is " + t.dtype() + ", expected an integer type");
            };
        }
        return out;
    }

    /** The raw little-endian bytes of a tensor, mapped read-only. */
    public ByteBuffer map(TensorInfo t) throws SafeTensorsException {
        long len = t.end() - t.begin();
        if (len > MAX_MAP) {
            throw new SafeTensorsException(path, t.name(), "is larger than 2 GiB; read it in slices");
        }
        try {
            return channel.map(FileChannel.MapMode.READ_ONLY, dataStart + t.begin(), len).order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new SafeTensorsException(path, t.name(), "cannot map: " + e.getMessage());
        }
    }

    private int checkedCount(TensorInfo t) throws SafeTensorsException {
        if (t.numel() > Integer.MAX_VALUE - 8) {
            throw new SafeTensorsException(path, t.name(), "has " + t.numel() + " elements, too many for one Java array");
        }
        return (int) t.numel();
    }

    private static long size(Path path, FileChannel ch) throws SafeTensorsException {
        try {
            return ch.size();
        } catch (IOException e) {
            throw new SafeTensorsException(path, "cannot read size: " + e.getMessage());
        }
    }

    private static ByteBuffer read(Path path, FileChannel ch, long pos, int len) throws SafeTensorsException {
        ByteBuffer buf = ByteBuffer.allocate(len);
        try {
            while (buf.hasRemaining()) {
                if (ch.read(buf, pos + buf.position()) < 0) {
                    throw new SafeTensorsException(path, "truncated while reading the header");
                }
            }
        } catch (IOException e) {
            throw new SafeTensorsException(path, "cannot read: " + e.getMessage());
        }
        return buf.flip();
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // already failing with a better message
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
