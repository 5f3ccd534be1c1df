package dev.blt.data.burn;

import dev.blt.data.tensors.DType;
import dev.blt.data.tensors.HalfFloats;
import dev.blt.data.tensors.TensorBytes;
import dev.blt.data.tensors.TensorFileException;
import dev.blt.data.tensors.TensorInfo;
import dev.blt.data.tensors.TensorSource;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessageInsufficientBufferException;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * A model saved by Burn's {@code NamedMpkFileRecorder} ({@code .mpk}) or {@code NamedMpkGzFileRecorder}
 * ({@code .mpk.gz}), read with msgpack-core. Tensors come back under their module paths joined with dots
 * ({@code layers.0.attention.wq.weight}), Linear weights transposed back to PyTorch's {@code [out, in]}.
 *
 * <p>The layout, learned from Burn's source (tracel-ai/burn, tags v0.13.2, v0.14.0, v0.17.0 and v0.19.1):
 * <ul>
 *   <li>The file is {@code rmp_serde::encode::write_named} of {@code BurnRecord {metadata, item}}
 *       ({@code crates/burn-core/src/record/recorder.rs}, {@code file.rs}), so every struct is a msgpack map keyed
 *       by field name, in declaration order; the {@code .gz} variant is the same bytes through gzip.
 *       {@code metadata} is {@code BurnMetadata {float, int, format, version, settings}}: the float element's Rust
 *       type name ({@code f32}, {@code half::binary16::f16}, ...), the recorder's type name, the Burn version and
 *       the precision settings' Debug name ({@code HalfPrecisionSettings} stores floats as IEEE f16, not bf16;
 *       {@code record/settings.rs}).</li>
 *   <li>{@code item} is the module's record: a map per module field, a msgpack array for a {@code Vec} of modules,
 *       nil for an absent {@code Option} (a Linear without bias) and for constants. A parameter is
 *       {@code ParamSerde {id, param}} ({@code record/primitive.rs}).</li>
 *   <li>Burn 0.14 and later: {@code param} is burn-tensor's {@code TensorData {bytes, shape, dtype}}
 *       ({@code crates/burn-tensor/src/tensor/data.rs}): {@code bytes} a msgpack bin of the little-endian
 *       elements, already converted to the recorder's precision; {@code shape} an array of sizes; {@code dtype} a
 *       unit variant, written by rmp-serde 1.x as its name ({@code "F32"}, {@code "F16"}, {@code "BF16"}, ...).
 *       Before 0.14: {@code DataSerialize {value, shape}} with {@code value} an array of elements; half's f16 and
 *       bf16 serialize as their raw {@code u16} bits (a newtype struct), so those arrays hold integers.</li>
 *   <li>{@code burn-nn} Linear stores {@code weight} as {@code [d_input, d_output]} beside an optional
 *       {@code bias}; Embedding's {@code weight} is {@code [n_embedding, d_model]} like PyTorch's, and norm
 *       weights are 1-D. A module map with both {@code weight} and {@code bias} keys is therefore read as a Linear
 *       and its 2-D weight transposed; nothing else is.</li>
 * </ul>
 * No real published {@code .mpk} could be read here (none can be downloaded); the tests use files written to
 * this layout.
 */
public final class BurnRecord implements TensorSource {
    private static final byte[] GZIP_MAGIC = {0x1f, (byte) 0x8b, 0x08};
    /** A record opens with a two-entry map whose first key is "metadata" (or "item"). */
    private static final byte FIXMAP_2 = (byte) 0x82;
    private static final int MAX_DEPTH = 64;

    private final Path path;
    private final boolean gzip;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, Stored> data;
    private final Map<String, String> metadata;

    /** One parameter: its elements as stored, and whether they are a Linear weight to transpose. */
    private record Stored(Object elements, long[] storedShape, boolean transpose) {
    }

    private BurnRecord(Path path, boolean gzip, Map<String, TensorInfo> tensors, Map<String, Stored> data,
                       Map<String, String> metadata) {
        this.path = path;
        this.gzip = gzip;
        this.tensors = tensors;
        this.data = data;
        this.metadata = metadata;
    }

    /**
     * Whether a file is a Burn record, from its first bytes ({@code head}, at least 10): a msgpack map of two
     * entries keyed {@code metadata}/{@code item}, or gzip whose decompressed start is that.
     */
    public static boolean recognizes(Path path, byte[] head) {
        return isRecordStart(head) || isGzip(head) && gzipHoldsRecord(path);
    }

    private static boolean isGzip(byte[] head) {
        return head.length >= 3 && Arrays.equals(head, 0, 3, GZIP_MAGIC, 0, 3);
    }

    private static boolean isRecordStart(byte[] head) {
        String text = new String(head, StandardCharsets.ISO_8859_1);
        // 0xa8 / 0xa4: msgpack fixstr headers of the 8-byte "metadata" and the 4-byte "item"
        return head.length >= 6 && head[0] == FIXMAP_2
                && (text.startsWith("\u00a8metadata", 1) || text.startsWith("\u00a4item", 1));
    }

    private static boolean gzipHoldsRecord(Path path) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(path))) {
            return isRecordStart(in.readNBytes(10));
        } catch (IOException e) {
            return false; // not readable as gzip: left to the other readers, whose errors say more
        }
    }

    public static BurnRecord open(Path path) throws TensorFileException {
        byte[] head;
        long size;
        try (InputStream in = Files.newInputStream(path)) {
            head = in.readNBytes(3);
            size = Files.size(path);
        } catch (NoSuchFileException e) {
            throw new TensorFileException(path, "file not found");
        } catch (IOException e) {
            throw new TensorFileException(path, "cannot open: " + e.getMessage());
        }
        boolean gz = isGzip(head);
        try (InputStream raw = Files.newInputStream(path);
             InputStream in = gz ? new GZIPInputStream(raw, 1 << 16) : new BufferedInputStream(raw, 1 << 16);
             MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(in)) {
            // a gzip stream can expand without a bound we know up front; the Java array limit caps it then
            Reader reader = new Reader(path, unpacker, gz ? Long.MAX_VALUE : size);
            Object root = reader.value(0);
            return build(path, gz, root);
        } catch (EOFException | MessageInsufficientBufferException e) {
            throw new TensorFileException(path, "truncated: the msgpack data ends early");
        } catch (ZipException e) {
            throw new TensorFileException(path, "corrupt gzip data: " + e.getMessage());
        } catch (MessagePackException e) {
            throw new TensorFileException(path, "malformed msgpack data: " + e.getMessage());
        } catch (TensorFileException e) {
            throw e;
        } catch (IOException e) {
            throw new TensorFileException(path, "cannot read: " + e.getMessage());
        }
    }

    private static BurnRecord build(Path path, boolean gzip, Object root) throws TensorFileException {
        if (!(root instanceof Map<?, ?> record) || !record.containsKey("item")) {
            throw new TensorFileException(path, "not a Burn record: expected a map with 'metadata' and 'item'");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        if (record.get("metadata") instanceof Map<?, ?> meta) {
            meta.forEach((k, v) -> metadata.put("burn." + k, String.valueOf(v)));
        }
        Flattener f = new Flattener(path, metadata.getOrDefault("burn.float", ""));
        f.walk(record.get("item"), "", false);
        if (f.tensors.isEmpty()) {
            throw new TensorFileException(path, "a Burn record without any parameter ({id, param} entry)");
        }
        return new BurnRecord(path, gzip, Collections.unmodifiableMap(f.tensors), f.data,
                Collections.unmodifiableMap(metadata));
    }

    /** Reads msgpack values into maps, lists, strings and numbers; numeric arrays into primitive arrays. */
    private static final class Reader {
        private final Path path;
        private final MessageUnpacker in;
        private final long limit;

        Reader(Path path, MessageUnpacker in, long limit) {
            this.path = path;
            this.in = in;
            this.limit = limit;
        }

        Object value(int depth) throws IOException {
            if (depth > MAX_DEPTH) {
                throw new TensorFileException(path, "msgpack nesting deeper than " + MAX_DEPTH + " levels");
            }
            MessageFormat format = in.getNextFormat();
            ValueType type = format.getValueType();
            switch (type) {
                case MAP -> {
                    int n = in.unpackMapHeader();
                    Map<String, Object> map = new LinkedHashMap<>();
                    for (int i = 0; i < n; i++) {
                        if (in.getNextFormat().getValueType() != ValueType.STRING) {
                            throw new TensorFileException(path, "map key at byte " + in.getTotalReadBytes()
                                    + " is not a string (not a named-msgpack Burn record)");
                        }
                        String key = in.unpackString();
                        map.put(key, value(depth + 1));
                    }
                    return map;
                }
                case ARRAY -> {
                    return array(in.unpackArrayHeader(), depth);
                }
                case BINARY -> {
                    int n = in.unpackBinaryHeader();
                    checkFits(n, 1);
                    return in.readPayload(n);
                }
                case STRING -> {
                    return in.unpackString();
                }
                case INTEGER -> {
                    return in.unpackLong();
                }
                case FLOAT -> {
                    return in.unpackDouble();
                }
                default -> {
                    // nil (absent Option, constants), booleans, extensions: nothing a tensor is made of
                    in.skipValue();
                    return null;
                }
            }
        }

        /** A list, or for a run of numbers (tensor values, shapes) a float[] or long[]. */
        private Object array(int n, int depth) throws IOException {
            if (n > 0 && in.getNextFormat().getValueType().isNumberType()) {
                checkFits(n, 1);
                boolean floats = in.getNextFormat().getValueType() == ValueType.FLOAT;
                float[] f = floats ? new float[n] : null;
                long[] l = floats ? null : new long[n];
                for (int i = 0; i < n; i++) {
                    ValueType t = in.getNextFormat().getValueType();
                    if (t != (floats ? ValueType.FLOAT : ValueType.INTEGER)) {
                        throw new TensorFileException(path, "numeric array at byte " + in.getTotalReadBytes()
                                + " mixes integers and floats");
                    }
                    if (floats) {
                        f[i] = (float) in.unpackDouble();
                    } else {
                        l[i] = in.unpackLong();
                    }
                }
                return floats ? f : l;
            }
            List<Object> list = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                list.add(value(depth + 1));
            }
            return list;
        }

        /** Refuses a declared length the rest of the file cannot hold, before allocating for it. */
        private void checkFits(long count, int minBytes) throws TensorFileException {
            long remaining = limit - in.getTotalReadBytes();
            if (count * minBytes > remaining || count > Integer.MAX_VALUE - 8) {
                throw new TensorFileException(path, "truncated or corrupt: a value at byte " + in.getTotalReadBytes()
                        + " declares " + count + " elements, more than the file holds");
            }
        }
    }

    /** Turns the record's module tree into dotted names (PyTorch state-dict keys) and checked tensor entries. */
    private static final class Flattener {
        private final Path path;
        private final String floatElem;
        final Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        final Map<String, Stored> data = new LinkedHashMap<>();

        Flattener(Path path, String floatElem) {
            this.path = path;
            this.floatElem = floatElem;
        }

        void walk(Object node, String name, boolean linearWeight) throws TensorFileException {
            if (node instanceof Map<?, ?> map) {
                if (map.size() == 2 && map.containsKey("id") && map.containsKey("param")) {
                    param(name, map.get("param"), linearWeight);
                    return;
                }
                boolean linear = map.containsKey("weight") && map.containsKey("bias");
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    String key = (String) e.getKey();
                    walk(e.getValue(), name.isEmpty() ? key : name + "." + key, linear && key.equals("weight"));
                }
            } else if (node instanceof List<?> list) {
                for (int i = 0; i < list.size(); i++) {
                    walk(list.get(i), name + "." + i, false);
                }
            }
            // anything else is a constant (eps, sizes) or an absent Option: not a weight
        }

        private void param(String name, Object param, boolean linearWeight) throws TensorFileException {
            if (!(param instanceof Map<?, ?> p) || !(p.get("shape") instanceof long[] || isEmptyList(p.get("shape")))) {
                throw new TensorFileException(path, name, "parameter is neither TensorData {bytes, shape, dtype} "
                        + "(Burn >= 0.14) nor DataSerialize {value, shape} (Burn < 0.14)");
            }
            long[] shape = p.get("shape") instanceof long[] s ? s : new long[0];
            long numel = 1;
            for (long d : shape) {
                if (d < 0) {
                    throw new TensorFileException(path, name, "negative dimension in shape " + Arrays.toString(shape));
                }
                numel *= d;
            }
            Object elements;
            DType dtype;
            if (p.containsKey("bytes")) {
                dtype = dtype(name, p.get("dtype"));
                if (!(p.get("bytes") instanceof byte[] bytes) || bytes.length != numel * dtype.bytes()) {
                    throw new TensorFileException(path, name, "holds " + byteCount(p.get("bytes"))
                            + " bytes, but shape " + Arrays.toString(shape) + " of " + dtype + " needs "
                            + numel * dtype.bytes());
                }
                elements = bytes;
            } else if (p.containsKey("value")) {
                Object v = isEmptyList(p.get("value")) ? new float[0] : p.get("value");
                int count = v instanceof float[] f ? f.length : v instanceof long[] l ? l.length : -1;
                if (count != numel) {
                    throw new TensorFileException(path, name, "holds " + (count < 0 ? "no numeric" : count)
                            + " values, but shape " + Arrays.toString(shape) + " needs " + numel);
                }
                dtype = legacyDtype(name, v);
                elements = v;
            } else {
                throw new TensorFileException(path, name, "parameter has neither 'bytes' (Burn >= 0.14) nor "
                        + "'value' (Burn < 0.14)");
            }
            boolean transpose = linearWeight && shape.length == 2;
            long[] torchShape = transpose ? new long[]{shape[1], shape[0]} : shape.clone();
            tensors.put(name, new TensorInfo(name, dtype, torchShape, 0, numel * dtype.bytes()));
            data.put(name, new Stored(elements, shape, transpose));
        }

        private DType dtype(String name, Object dtype) throws TensorFileException {
            if (dtype instanceof String s) {
                switch (s) {
                    case "F64": return DType.F64;
                    case "F32", "Flex32": return DType.F32; // Flex32 is stored as f32
                    case "F16": return DType.F16;
                    case "BF16": return DType.BF16;
                    case "I64": return DType.I64;
                    case "I32": return DType.I32;
                    case "I16": return DType.I16;
                    case "I8": return DType.I8;
                    case "U8": return DType.U8;
                    case "Bool": return DType.BOOL;
                    default: break;
                }
            }
            String what = dtype instanceof Map<?, ?> m ? "variant " + m.keySet() : String.valueOf(dtype);
            throw new TensorFileException(path, name, "unsupported Burn dtype " + what
                    + (what.contains("QFloat") ? " (quantized tensors are not supported)" : ""));
        }

        /** Before 0.14 the element type is only in the metadata; half floats arrive as their u16 bits. */
        private DType legacyDtype(String name, Object values) throws TensorFileException {
            if (values instanceof float[]) {
                return floatElem.equals("f64") ? DType.F64 : DType.F32;
            }
            if (floatElem.endsWith("bf16")) {
                return DType.BF16;
            }
            if (floatElem.endsWith("f16")) {
                return DType.F16;
            }
            throw new TensorFileException(path, name, "holds integer values, but the record's float type '"
                    + floatElem + "' is not f16 or bf16 (whose bits Burn < 0.14 writes as integers)");
        }

        private static boolean isEmptyList(Object o) {
            return o instanceof List<?> l && l.isEmpty();
        }

        private static String byteCount(Object bytes) {
            return bytes instanceof byte[] b ? String.valueOf(b.length) : "no";
        }
    }

    @Override
    public String format() {
        return gzip ? "Burn record (NamedMpkGzFileRecorder: gzip msgpack)" : "Burn record (NamedMpkFileRecorder: msgpack)";
    }

    @Override
    public Path path() {
        return path;
    }

    /** Tensor entries in record order, with PyTorch shapes. */
    @Override
    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    @Override
    public float[] readFloats(String name) throws TensorFileException {
        TensorInfo t = floatingInfo(name);
        Stored s = data.get(name);
        float[] values;
        if (s.elements() instanceof byte[] b) {
            values = TensorBytes.toFloats(ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN), t.dtype(), (int) t.numel());
        } else if (s.elements() instanceof float[] f) {
            values = f.clone();
        } else {
            values = halfBits((long[]) s.elements(), t.dtype());
        }
        return s.transpose() ? TensorBytes.transpose(values, (int) s.storedShape()[0], (int) s.storedShape()[1]) : values;
    }

    private static float[] halfBits(long[] bits, DType dtype) {
        float[] out = new float[bits.length];
        for (int i = 0; i < bits.length; i++) {
            short h = (short) bits[i];
            out[i] = dtype == DType.BF16 ? HalfFloats.bf16ToFloat(h) : HalfFloats.f16ToFloat(h);
        }
        return out;
    }

    /** The record's {@code BurnMetadata} fields, as {@code burn.float}, {@code burn.version}, ... */
    @Override
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Everything was read when the file was opened. */
    @Override
    public void close() {
        // nothing held open
    }
}
