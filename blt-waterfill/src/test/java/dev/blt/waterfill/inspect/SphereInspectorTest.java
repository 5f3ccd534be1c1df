package dev.blt.waterfill.inspect;

import dev.blt.data.format.IngestFormat;
import dev.blt.data.tensors.SafeTensorsWriter;
import dev.blt.waterfill.config.ConfigFiles;
import dev.blt.waterfill.config.WaterFillConfig;
import dev.blt.waterfill.io.NpzWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SphereInspectorTest {

    @Test
    void statisticsHistogramAndCorrelationByHand(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("s.npz");
        WaterFillConfig c = ConfigFiles.parse("target_shells: 4\n");
        new NpzWriter(false)
                .addFloats("radii", new float[] {10, 20, 30, 40}, 4)
                .addInts("shells", new int[] {0, 0, 2, 2}, 4)
                .addFloats("original_prominence", new float[] {1, 2, 3, 5}, 4)
                .addDoubles("shell_capacity", new double[] {2, 1, 1, 0}, 4)
                .addString("config", ConfigFiles.toJson(c))
                .write(f);
        Inspection in = SphereInspector.inspect(f);
        ArrayStats radii = in.arrays().get(0);
        assertEquals(10, radii.min());
        assertEquals(40, radii.max());
        assertEquals(25, radii.mean());
        assertArrayEquals(new long[] {2, 0, 2, 0}, in.shells().counts());
        assertEquals(2, in.shells().distinct());
        assertEquals(1, in.shells().maxDeviation());
        // pearson of (10,20,30,40) and (1,2,3,5): by hand sxy = 65, sxx = 500, syy = 8.75 -> 0.98271
        assertEquals(65 / Math.sqrt(500 * 8.75), in.pearson(), 1e-9);
        assertEquals(1, in.spearman(), 1e-12);
        String text = in.render();
        assertTrue(text.contains("radii: shape=(4,), dtype=float32, min=10, max=40, mean=25"), text);
        assertTrue(text.contains("shells: 2 distinct of 4"), text);
        assertTrue(text.contains("1 shells over, 1 under"), text);
        assertTrue(text.contains("pearson=0.9827, spearman=1.0000"), text);
    }

    @Test
    void emptyArraysDoNotFail(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("empty.npz");
        new NpzWriter(true).addFloats("radii", new float[0], 0).addInts("shells", new int[0], 0)
                .addFloats("original_prominence", new float[0], 0).addFloats("sphere_coords", new float[0], 0, 768)
                .write(f);
        Inspection in = SphereInspector.inspect(f);
        String text = in.render();
        assertTrue(text.contains("sphere_coords: shape=(0, 768), dtype=float32, empty"), text);
        assertTrue(text.contains("shells: 0 distinct of 0"), text);
        assertTrue(text.contains("pearson=n/a, spearman=n/a"), text);
        Path st = dir.resolve("empty.safetensors");
        new SafeTensorsWriter().addFloats(IngestFormat.EMBEDDINGS, new float[0], 1, 0, 8)
                .addLongs(IngestFormat.PATCH_INDICES, new long[0], 0).write(st);
        assertTrue(SphereInspector.inspect(st).render().contains("embeddings: shape=(1, 0, 8), dtype=F32, empty"));
    }

    @Test
    void numbersAreCompact() {
        assertEquals("10", ArrayStats.number(10));
        assertEquals("0.0029", ArrayStats.number(0.0029));
        assertEquals("-2.5", ArrayStats.number(-2.5));
        assertEquals("1.23457e+06", ArrayStats.number(1234567));
    }

    @Test
    void spearmanAveragesTies() {
        assertArrayEquals(new double[] {0, 1.5, 1.5, 3}, SphereInspector.ranks(new float[] {1, 2, 2, 3}));
    }
}
