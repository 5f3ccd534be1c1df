package dev.blt.model;

import dev.blt.data.tensors.HalfFloats;
import dev.blt.data.tensors.TensorBytes;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Writes model weights the way the BLT Rust system's Burn recorders would (see {@code BurnRecord}'s notes on the
 * layout): {@code BurnRecord {metadata, item}} as named msgpack, the module tree nested by state-dict path, Linear
 * records {@code {weight [in, out], bias: nil}}, norms with a constant {@code eps}. Written here from Burn's
 * source, since no real published {@code .mpk} can be downloaded.
 */
public final class BurnRecordFiles {
    /** {@code TensorData {bytes, shape, dtype}} (Burn 0.14 and later) or {@code DataSerialize {value, shape}}. */
    public enum Layout { TENSOR_DATA, DATA_SERIALIZE }

    private BurnRecordFiles() {
    }

    /** {@code half}: HalfPrecisionSettings (IEEE f16) instead of FullPrecisionSettings (f32). */
    public static void write(Path file, ModelWeights weights, Layout layout, boolean half, boolean gzip)
            throws IOException {
        Map<String, Object> item = new LinkedHashMap<>();
        Map<String, long[]> shapes = WeightNames.expected(weights.config());
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            String module = e.getKey().substring(0, e.getKey().length() - ".weight".length());
            boolean linear = e.getValue().length == 2 && !module.equals("tok_embeddings");
            Map<String, Object> record = new LinkedHashMap<>();
            float[] values = weights.get(e.getKey());
            long[] shape = e.getValue();
            if (linear) {
                values = TensorBytes.transpose(values, (int) shape[0], (int) shape[1]);
                shape = new long[]{shape[1], shape[0]};
            }
            record.put("weight", param(values, shape, layout, half));
            if (linear) {
                record.put("bias", null);
            } else if (shape.length == 1) {
                record.put("eps", 1e-5);
            }
            put(item, module.split("\\."), 0, record);
        }
        String settings = half ? "HalfPrecisionSettings" : "FullPrecisionSettings";
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("float", half ? "half::binary16::f16" : "f32");
        metadata.put("int", half ? "i16" : "i32");
        metadata.put("format", "burn_core::record::file::NamedMpk" + (gzip ? "Gz" : "") + "FileRecorder<"
                + "burn_core::record::settings::" + settings + ">");
        metadata.put("version", layout == Layout.TENSOR_DATA ? "0.19.1" : "0.13.2");
        metadata.put("settings", settings);
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("metadata", metadata);
        record.put("item", item);
        try (OutputStream raw = Files.newOutputStream(file);
             OutputStream out = gzip ? new GZIPOutputStream(raw) : raw;
             MessagePacker packer = MessagePack.newDefaultPacker(out)) {
            pack(packer, record);
        }
    }

    private static Map<String, Object> param(float[] values, long[] shape, Layout layout, boolean half) {
        Map<String, Object> data = new LinkedHashMap<>();
        if (layout == Layout.TENSOR_DATA) {
            ByteBuffer b = ByteBuffer.allocate(values.length * (half ? 2 : 4)).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : values) {
                if (half) {
                    b.putShort(HalfFloats.floatToF16(v));
                } else {
                    b.putFloat(v);
                }
            }
            data.put("bytes", b.array());
            data.put("shape", shape);
            data.put("dtype", half ? "F16" : "F32");
        } else {
            if (half) {
                long[] bits = new long[values.length];
                for (int i = 0; i < values.length; i++) {
                    bits[i] = HalfFloats.floatToF16(values[i]) & 0xffff;
                }
                data.put("value", bits);
            } else {
                data.put("value", values);
            }
            data.put("shape", shape);
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("id", Long.toHexString(Double.doubleToLongBits(Math.random())));
        p.put("param", data);
        return p;
    }

    /** Nests {@code record} at a dotted path; numeric segments index a list (Burn's {@code Vec<Module>}). */
    @SuppressWarnings("unchecked")
    private static void put(Object parent, String[] path, int i, Object record) {
        boolean last = i == path.length - 1;
        if (parent instanceof List<?> l) {
            List<Object> list = (List<Object>) l;
            int index = Integer.parseInt(path[i]);
            while (list.size() <= index) {
                list.add(new LinkedHashMap<String, Object>());
            }
            if (last) {
                list.set(index, record);
            } else {
                put(list.get(index), path, i + 1, record);
            }
            return;
        }
        Map<String, Object> map = (Map<String, Object>) parent;
        if (last) {
            map.put(path[i], record);
        } else {
            Object child = map.computeIfAbsent(path[i], k -> path[i + 1].matches("\\d+")
                    ? new ArrayList<>() : new LinkedHashMap<String, Object>());
            put(child, path, i + 1, record);
        }
    }

    /** Packs maps (string keys), lists, strings, doubles, byte[] as bin, long[]/float[] as arrays, null as nil. */
    public static void pack(MessagePacker p, Object v) throws IOException {
        if (v == null) {
            p.packNil();
        } else if (v instanceof Map<?, ?> m) {
            p.packMapHeader(m.size());
            for (Map.Entry<?, ?> e : m.entrySet()) {
                p.packString((String) e.getKey());
                pack(p, e.getValue());
            }
        } else if (v instanceof List<?> l) {
            p.packArrayHeader(l.size());
            for (Object o : l) {
                pack(p, o);
            }
        } else if (v instanceof String s) {
            p.packString(s);
        } else if (v instanceof Double d) {
            p.packDouble(d);
        } else if (v instanceof byte[] b) {
            p.packBinaryHeader(b.length).writePayload(b);
        } else if (v instanceof long[] a) {
            p.packArrayHeader(a.length);
            for (long x : a) {
                p.packLong(x);
            }
        } else if (v instanceof float[] a) {
            p.packArrayHeader(a.length);
            for (float x : a) {
                p.packFloat(x);
            }
        } else {
            throw new IllegalArgumentException("cannot pack " + v.getClass());
        }
    }
}
