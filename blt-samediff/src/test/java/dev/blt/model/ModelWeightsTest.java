package dev.blt.model;

import dev.blt.data.tensors.DType;
import dev.blt.data.tensors.HalfFloats;
import dev.blt.data.tensors.TensorFileException;
import dev.blt.data.tensors.SafeTensorsWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelWeightsTest {
    @TempDir
    Path dir;

    private final ModelConfig config = Fixtures.config("base");
    private final ModelWeights weights = Fixtures.weights("base");

    /** Writes the base weights with one change: a tensor dropped, added, or replaced by another shape. */
    private Path variant(String drop, String addName, long[] addShape) throws IOException {
        SafeTensorsWriter w = new SafeTensorsWriter();
        for (Map.Entry<String, long[]> e : WeightNames.expected(config).entrySet()) {
            if (!e.getKey().equals(drop)) {
                w.addFloats(e.getKey(), weights.get(e.getKey()), e.getValue());
            }
        }
        if (addName != null) {
            long n = 1;
            for (long d : addShape) {
                n *= d;
            }
            w.addFloats(addName, new float[(int) n], addShape);
        }
        Path p = dir.resolve("w" + System.nanoTime() + ".safetensors");
        w.write(p);
        return p;
    }

    private void assertRejected(Path p, String... fragments) {
        TensorFileException e = assertThrows(TensorFileException.class, () -> ModelWeights.load(p, config, w -> { }));
        assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "'" + f + "' not in: " + e.getMessage());
        }
    }

    @Test
    void rejectsMissingExtraAndMisshapedTensors() throws IOException {
        assertRejected(variant(WeightNames.wk(1), null, null), "'layers.1.attention.wk.weight'", "missing");
        assertRejected(variant(null, "layers.2.attention.wq.weight", new long[]{64, 64}), "'layers.2.attention.wq.weight'", "unexpected");
        assertRejected(variant(WeightNames.w2(0), WeightNames.w2(0), new long[]{192, 64}), "'layers.0.feed_forward.w2.weight'", "[192, 64]", "[64, 192]");
    }

    @Test
    void rejectsTruncatedAndMalformedFiles() throws IOException {
        byte[] good = Files.readAllBytes(Fixtures.file("entropy_base.safetensors"));
        Path truncated = dir.resolve("truncated.safetensors");
        Files.write(truncated, java.util.Arrays.copyOf(good, good.length / 2));
        assertRejected(truncated, "truncated");
        Path garbage = dir.resolve("garbage.safetensors");
        Files.writeString(garbage, "this is not a checkpoint at all");
        assertRejected(garbage, "not a weights file");
    }

    @Test
    void ignoresTensorsOutsideTheModelWithAWarning() throws IOException {
        StringBuilder warned = new StringBuilder();
        ModelWeights.load(Fixtures.file("entropy_base.safetensors"), config, warned::append);
        assertTrue(warned.toString().contains("fixture."), warned.toString());
    }

    @Test
    void saveLoadRoundTripsWithConfigInMetadata() throws IOException {
        Path f32 = dir.resolve("m.safetensors");
        weights.save(f32, DType.F32, Map.of("note", "test"));
        assertEquals(config, ModelWeights.storedConfig(f32, w -> { }));
        ModelWeights back = ModelWeights.load(f32, config, w -> { });
        for (String name : WeightNames.expected(config).keySet()) {
            assertArrayEquals(weights.get(name), back.get(name), name);
        }
        Path bf16 = dir.resolve("m.bf16.safetensors");
        weights.save(bf16, DType.BF16, Map.of());
        float[] orig = weights.get(WeightNames.wq(0));
        float[] rounded = ModelWeights.load(bf16, config, w -> { }).get(WeightNames.wq(0));
        for (int i = 0; i < orig.length; i++) {
            assertEquals(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(orig[i])), rounded[i]);
        }
    }

    @Test
    void refusesNonFiniteValuesNamingFileTensorCountAndFirstIndex() throws IOException {
        Path p = PoisonedWeights.write(dir.resolve("nan.safetensors"), WeightNames.w3(1), new int[]{70, 9}, new int[]{200});
        assertRejected(p, "'" + WeightNames.w3(1) + "'", "3 of 12288 values are not finite", "2 NaN, 1 Inf",
                "first at flat index 9");
        // the folder path (config from metadata) goes through the same check
        assertThrows(TensorFileException.class, () -> ModelWeights.open(p, null, w -> { }));
    }
}
