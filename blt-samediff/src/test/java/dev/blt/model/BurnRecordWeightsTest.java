package dev.blt.model;

import dev.blt.data.burn.BurnRecord;
import dev.blt.data.tensors.DType;
import dev.blt.data.tensors.HalfFloats;
import dev.blt.data.tensors.TensorFileException;
import dev.blt.data.tensors.TensorSource;
import dev.blt.model.BurnRecordFiles.Layout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Burn .mpk / .mpk.gz records, written to Burn's layout by {@link BurnRecordFiles}, read back as the fixture. */
class BurnRecordWeightsTest {
    @TempDir
    Path dir;

    private final ModelWeights reference = Fixtures.weights("base");

    @Test
    void everyLayoutPrecisionAndCompressionReadsBackAsTheFixture() throws IOException {
        for (Layout layout : Layout.values()) {
            for (boolean half : new boolean[]{false, true}) {
                for (boolean gzip : new boolean[]{false, true}) {
                    String what = layout + (half ? " f16" : " f32") + (gzip ? " gz" : "");
                    Path file = dir.resolve(layout + "-" + half + (gzip ? ".mpk.gz" : ".mpk"));
                    BurnRecordFiles.write(file, reference, layout, half, gzip);
                    try (TensorSource src = TensorSource.open(file)) {
                        assertInstanceOf(BurnRecord.class, src, what);
                        assertEquals(List.copyOf(WeightNames.expected(reference.config()).keySet()),
                                List.copyOf(src.tensors().keySet()), what);
                        assertEquals(half ? DType.F16 : DType.F32, src.info(WeightNames.wq(1)).dtype(), what);
                        assertEquals(half ? "HalfPrecisionSettings" : "FullPrecisionSettings",
                                src.metadata().get("burn.settings"), what);
                    }
                    ModelWeights loaded = ModelWeights.load(file, reference.config(), w -> { });
                    for (String name : WeightNames.expected(reference.config()).keySet()) {
                        assertArrayEquals(half ? f16Rounded(reference.get(name)) : reference.get(name),
                                loaded.get(name), what + " " + name);
                    }
                }
            }
        }
    }

    /** Shapes come back as PyTorch's: Linear [out, in] (stored [in, out]); embedding and norms as stored. */
    @Test
    void onlyLinearWeightsAreTransposed() throws IOException {
        Path file = dir.resolve("m.mpk");
        BurnRecordFiles.write(file, reference, Layout.TENSOR_DATA, false, false);
        try (TensorSource src = TensorSource.open(file)) {
            Map<String, long[]> expected = WeightNames.expected(reference.config());
            for (String name : expected.keySet()) {
                assertArrayEquals(expected.get(name), src.info(name).shape(), name);
            }
            ModelConfig c = reference.config();
            assertTrue(c.ffnHidden() != c.dim() && c.vocabSize() != c.dim(), "shapes must tell a transpose apart");
        }
    }

    @Test
    void badRecordsNameTheFileAndTheProblem() throws IOException {
        Path good = dir.resolve("good.mpk");
        BurnRecordFiles.write(good, reference, Layout.TENSOR_DATA, true, false);
        byte[] bytes = Files.readAllBytes(good);
        Path truncated = dir.resolve("truncated.mpk");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
        assertRefused(truncated, "truncated");

        Map<String, Object> item = new LinkedHashMap<>();
        item.put("norm", Map.of("weight", Map.of("id", "x", "param",
                Map.of("bytes", new byte[6], "shape", new long[]{4}, "dtype", "F16"))));
        assertRefused(record(item, "short.mpk"), "tensor 'norm.weight'", "holds 6 bytes", "needs 8");

        item.put("norm", Map.of("weight", Map.of("id", "x", "param",
                Map.of("bytes", new byte[4], "shape", new long[]{4}, "dtype", Map.of("QFloat", List.of())))));
        assertRefused(record(item, "quantized.mpk"), "tensor 'norm.weight'", "quantized tensors are not supported");

        item.put("norm", Map.of("weight", Map.of("id", "x", "param", Map.of("shape", new long[]{4}))));
        assertRefused(record(item, "nodata.mpk"), "tensor 'norm.weight'", "neither 'bytes'");

        assertRefused(record(Map.of("dim", 64.0), "empty.mpk"), "without any parameter");
    }

    private Path record(Map<String, Object> item, String name) throws IOException {
        Path file = dir.resolve(name);
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("metadata", Map.of("float", "half::binary16::f16", "version", "0.19.1"));
        record.put("item", item);
        try (MessagePacker p = MessagePack.newDefaultPacker(Files.newOutputStream(file))) {
            BurnRecordFiles.pack(p, record);
        }
        return file;
    }

    private static void assertRefused(Path file, String... fragments) {
        TensorFileException e = assertThrows(TensorFileException.class, () -> TensorSource.open(file).close());
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "'" + f + "' not in: " + e.getMessage());
        }
    }

    static float[] f16Rounded(float[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = HalfFloats.f16ToFloat(HalfFloats.floatToF16(values[i]));
        }
        return out;
    }
}
