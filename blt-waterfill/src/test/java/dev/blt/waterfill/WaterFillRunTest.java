package dev.blt.waterfill;

import dev.blt.data.format.IngestFormat;
import dev.blt.data.tensors.SafeTensorsWriter;
import dev.blt.waterfill.config.Algorithm;
import dev.blt.waterfill.config.ConfigFiles;
import dev.blt.waterfill.config.WaterFillConfig;
import dev.blt.waterfill.core.PointSet;
import dev.blt.waterfill.io.NpzReader;
import dev.blt.waterfill.testing.Points;
import dev.blt.waterfill.testing.Python;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Batch runs end to end: files in, .npz out (spec §12.1). */
class WaterFillRunTest {

    /** An ingest-style file: [1, T, D] embeddings, with the given number of padding rows at the end. */
    static Path ingest(Path dir, String name, int tokens, int padding, long seed) throws IOException {
        PointSet p = Points.random(tokens, 16, seed);
        int t = tokens + padding;
        float[] e = java.util.Arrays.copyOf(p.embeddings(), t * 16);
        float[] prom = java.util.Arrays.copyOf(p.prominence(), t);
        float[] ent = java.util.Arrays.copyOf(p.entropies(), t);
        Path f = dir.resolve(IngestFormat.tensorsFile(name));
        new SafeTensorsWriter().addFloats(IngestFormat.EMBEDDINGS, e, 1, t, 16)
                .addFloats(IngestFormat.PROMINENCE, prom, 1, t).addFloats(IngestFormat.ENTROPIES, ent, 1, t)
                .addLongs(IngestFormat.PATCH_INDICES, new long[] {0}, 1).write(f);
        return f;
    }

    @Test
    void batchWritesSkipsAndSurvivesFailures(@TempDir Path dir) throws IOException {
        Path in = Files.createDirectory(dir.resolve("in"));
        ingest(in, "a-good", 300, 20, 1);
        ingest(in, "b-padding", 0, 10, 2);
        Files.writeString(in.resolve("c-broken.safetensors"), "garbage");
        ingest(in, "d-good", 50, 0, 3);
        List<String> log = new ArrayList<>();
        Path out = dir.resolve("out");
        List<WaterFill.FileOutcome> outcomes = WaterFill.run(WaterFillConfig.defaults(), List.of(in), out, log::add);
        assertEquals(List.of(WaterFill.Status.WRITTEN, WaterFill.Status.SKIPPED_EMPTY, WaterFill.Status.FAILED,
                WaterFill.Status.WRITTEN), outcomes.stream().map(WaterFill.FileOutcome::status).toList());
        assertEquals(300, outcomes.get(0).points());
        assertTrue(outcomes.get(2).message().startsWith(in.resolve("c-broken.safetensors").toString()),
                outcomes.get(2).message());
        assertTrue(Files.exists(out.resolve("sphere_a-good.npz")));
        assertFalse(Files.exists(out.resolve("sphere_b-padding.npz")), "an all-padding file gives no output");
        assertTrue(Files.exists(out.resolve("sphere_d-good.npz")));
        try (var files = Files.list(out)) {
            assertEquals(2, files.count(), "no temporary files left behind");
        }
        // each file is processed independently: alone it gives the same bytes
        Path alone = dir.resolve("alone");
        WaterFill.run(WaterFillConfig.defaults(), List.of(in.resolve("d-good.safetensors")), alone, s -> { });
        assertArrayEquals(Files.readAllBytes(out.resolve("sphere_d-good.npz")),
                Files.readAllBytes(alone.resolve("sphere_d-good.npz")));
    }

    @Test
    void outputHoldsTheDocumentedArrays(@TempDir Path dir) throws IOException {
        Path f = ingest(dir, "doc", 400, 7, 4);
        WaterFillConfig config = WaterFillConfig.defaults();
        WaterFill.run(config, List.of(f), dir, s -> { });
        PointSet original = dev.blt.waterfill.io.PointReader.read(f, config.level());
        try (NpzReader z = NpzReader.open(dir.resolve("sphere_doc.npz"))) {
            assertEquals(List.of("sphere_coords", "radii", "shells", "original_prominence", "original_entropies",
                    "theta", "phi", "cartesian", "shell_capacity", "config", "info"), z.names());
            assertArrayEquals(new long[] {400, 16}, z.header("sphere_coords").shape());
            assertEquals("float32", z.header("radii").type().name());
            assertEquals("int32", z.header("shells").type().name());
            assertArrayEquals(new long[] {400, 3}, z.header("cartesian").shape());
            assertArrayEquals(original.prominence(), z.readFloats("original_prominence"));
            assertEquals(config, ConfigFiles.parse(z.readString("config")));
            float[] radii = z.readFloats("radii");
            float[] coords = z.readFloats("sphere_coords");
            double[] shells = z.readDoubles("shells");
            double[] capacity = z.readDoubles("shell_capacity");
            int[] count = new int[capacity.length];
            for (int i = 0; i < 400; i++) {
                double norm = 0;
                for (int d = 0; d < 16; d++) {
                    norm += coords[i * 16 + d] * (double) coords[i * 16 + d];
                }
                assertEquals(radii[i], Math.sqrt(norm), 1e-4 * radii[i]);
                count[(int) shells[i]]++;
            }
            for (int k = 0; k < capacity.length; k++) {
                assertEquals(capacity[k], count[k], "shell " + k);
            }
        }
    }

    @Test
    void everyAlgorithmRerunsBitIdentically(@TempDir Path dir) throws IOException {
        Path f = ingest(dir, "doc", 600, 0, 5);
        for (Algorithm a : Algorithm.values()) {
            WaterFillConfig c = ConfigFiles.parse("algorithm: " + a.id()
                    + "\nlegacy:\n  entropy_temperature: 1.0\n  max_iters: 20\nlangevin:\n  steps: 10\n");
            List<WaterFill.FileOutcome> first = WaterFill.run(c, List.of(f), dir.resolve(a.id() + "1"), s -> { });
            List<WaterFill.FileOutcome> second = WaterFill.run(c, List.of(f), dir.resolve(a.id() + "2"), s -> { });
            assertEquals(WaterFill.Status.WRITTEN, first.get(0).status(), a + ": " + first.get(0).message());
            assertNull(second.get(0).message());
            assertArrayEquals(Files.readAllBytes(first.get(0).output()), Files.readAllBytes(second.get(0).output()),
                    a.id());
        }
    }

    @Test
    void numpyLoadsTheOutputAndItsInvariantsHold(@TempDir Path dir) throws IOException {
        assumeTrue(Python.hasNumpy(), "python3 with numpy not available");
        Path f = ingest(dir, "doc", 500, 3, 6);
        for (String algorithm : new String[] {"exact", "langevin"}) {
            WaterFillConfig c = ConfigFiles.parse("algorithm: " + algorithm + "\ncompress: " + algorithm.equals("langevin")
                    + "\nlangevin:\n  steps: 10\n");
            Path out = dir.resolve(algorithm);
            WaterFill.run(c, List.of(f), out, s -> { });
            Python.Result r = Python.run("""
                    import sys, json, numpy as np
                    z = np.load(sys.argv[1])
                    n = 500
                    assert z['sphere_coords'].shape == (n, 16) and z['sphere_coords'].dtype == np.float32
                    r = z['radii']; assert r.dtype == np.float32 and r.shape == (n,)
                    assert z['shells'].dtype == np.int32
                    assert np.allclose(np.linalg.norm(z['sphere_coords'], axis=1), r, rtol=1e-5)
                    assert np.allclose(np.linalg.norm(z['cartesian'], axis=1), r, rtol=1e-4)
                    t, p = z['theta'], z['phi']
                    assert (t >= 0).all() and (t <= np.pi).all() and (p >= 0).all() and (p < 2 * np.pi).all()
                    xyz = np.stack([r * np.sin(t) * np.cos(p), r * np.sin(t) * np.sin(p), r * np.cos(t)], axis=1)
                    assert np.allclose(xyz, z['cartesian'], atol=1e-3 * r.max())
                    assert (r >= 32).all() and (r <= 512).all()
                    cfg = json.loads(str(z['config']))
                    assert cfg['algorithm'] == sys.argv[2], cfg
                    if 'shell_capacity' in z:
                        assert (np.bincount(z['shells'], minlength=256) == z['shell_capacity']).all()
                    print('ok')
                    """, out.resolve("sphere_doc.npz").toString(), algorithm);
            assertEquals("ok", r.out(), r.out());
        }
    }
}
