package dev.blt.waterfill.algorithms;

import dev.blt.waterfill.config.ConfigFiles;
import dev.blt.waterfill.config.WaterFillConfig;
import dev.blt.waterfill.core.Placement;
import dev.blt.waterfill.core.PointSet;
import dev.blt.waterfill.core.ShellTable;
import dev.blt.waterfill.testing.Points;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Legacy osmotic v1 and v2 against the golden values and invariants of spec §2, §3, §12.2. */
class OsmoticFillerTest {
    private static final float[] GOLDEN_NORMS = {10, 20, 30, 40, 60};

    @Test
    void v1QuantileShellsGolden() {
        assertArrayEquals(new int[] {0, 32, 64, 96, 127}, OsmoticV1Filler.initialShells(GOLDEN_NORMS, 128));
    }

    @Test
    void v1RadiusTableRunsFromZeroToOne() {
        double[] b = OsmoticV1Filler.radiusTable(128);
        assertEquals(0, b[0]);
        assertEquals(1, b[127], 1e-12);
        assertEquals((1 + 1) / (Math.sqrt(127) + Math.pow(127, 1.5)), b[1], 1e-15);
        for (int k = 1; k < b.length; k++) {
            assertTrue(b[k] > b[k - 1]);
        }
    }

    @Test
    void v2InitialShellsInFloat32() {
        // float32: 60 - 10 + 1e-6 rounds to 50, so u is exact and 10/50·255 = 51 (float64 gives 0, 50, 101, 152, 254)
        assertArrayEquals(new int[] {0, 51, 102, 153, 255}, OsmoticV2Filler.initialShells(GOLDEN_NORMS, 256));
    }

    @Test
    void v2HollowCoreTableAndCapacitiesGolden() {
        double[] r = OsmoticV2Filler.radiusTable(256, 32, 60);
        assertEquals(32, r[0]);
        assertEquals(32.1546, r[1], 1e-4);
        assertEquals(32.3552, r[2], 1e-4);
        assertEquals(151.4377, r[255], 1e-4);
        double[] c = ShellTable.proportional(r, 5, 2.0);
        assertEquals(0.00230, c[0], 1e-5);
        assertEquals(0.05144, c[255], 1e-5);
        assertEquals(5, Arrays.stream(c).sum(), 1e-9);
    }

    @Test
    void v2LoopInvariants() throws IOException {
        PointSet p = Points.random(1000, 32, 11);
        WaterFillConfig c = ConfigFiles.parse("algorithm: osmotic-v2\n");
        float[] norm = LegacyNorms.norms(p);
        boolean[] out = OsmoticLoop.outliers(norm);
        // the outlier set is {p > mean + population std}
        double mean = 0;
        for (float v : norm) {
            mean += v;
        }
        mean /= norm.length;
        double var = 0;
        for (float v : norm) {
            var += (v - mean) * (v - mean);
        }
        double thr = mean + Math.sqrt(var / norm.length);
        int outliers = 0;
        for (int i = 0; i < norm.length; i++) {
            assertEquals(norm[i] > thr, out[i]);
            outliers += out[i] ? 1 : 0;
        }
        assertTrue(outliers > 0);
        int[] start = OsmoticV2Filler.initialShells(norm, 256);
        Placement pl = new OsmoticV2Filler(c).place(p);
        assertEquals(100, pl.info().get("iterations"), "static outliers keep the loop running");
        double[] table = OsmoticV2Filler.radiusTable(256, 32, LegacyNorms.max(norm));
        for (int i = 0; i < p.n(); i++) {
            int s = pl.shells()[i];
            assertTrue(s >= 0 && s < 256);
            assertEquals((float) table[s], pl.radii()[i], "radius is a function of the shell");
            assertTrue(pl.radii()[i] >= 32, "hollow core");
            if (out[i]) {
                assertTrue(s >= start[i], "an outlier never ends lower than it started");
            }
        }
        // reproducible with the seed
        assertArrayEquals(pl.shells(), new OsmoticV2Filler(c).place(p).shells());
    }

    @Test
    void nonOutliersMoveAtMostOneShellEachWayPerIteration() {
        float[] norm = LegacyNorms.norms(Points.random(400, 8, 2));
        boolean[] out = OsmoticLoop.outliers(norm);
        double[] cap = ShellTable.proportional(OsmoticV1Filler.radiusTable(64), norm.length, 1.5);
        int[] shells = OsmoticV1Filler.initialShells(norm, 64);
        java.util.SplittableRandom rng = new java.util.SplittableRandom(1);
        for (int t = 0; t < 20; t++) {
            int[] before = shells.clone();
            OsmoticLoop.run(shells, out, cap, 1, rng);
            for (int i = 0; i < shells.length; i++) {
                assertTrue(Math.abs(shells[i] - before[i]) <= 1);
                if (out[i]) {
                    assertTrue(shells[i] >= before[i]);
                }
            }
        }
    }

    @Test
    void v2DegenerateInputs() throws IOException {
        WaterFillConfig c = ConfigFiles.parse("algorithm: osmotic-v2\n");
        // identical rows (3, 6, 2): every norm is exactly 7, so σ = 0 and nothing is an outlier
        float[] rows = new float[150];
        for (int i = 0; i < 50; i++) {
            rows[3 * i] = 3;
            rows[3 * i + 1] = 6;
            rows[3 * i + 2] = 2;
        }
        float[] prominence = new float[50];
        Arrays.fill(prominence, 7f);
        Placement same = new OsmoticV2Filler(c).place(new PointSet("equal", 50, 3, rows, prominence, null));
        for (int i = 0; i < 50; i++) {
            assertEquals(0, same.shells()[i]);
            assertEquals(32f, same.radii()[i]);
        }
        assertEquals(100, same.info().get("iterations"), "shell 0 is overloaded, so the loop never stops");
        Placement one = new OsmoticV2Filler(c).place(Points.withNorms(new float[] {5}, 3, 1));
        assertEquals(0, one.shells()[0]);
        // initial shells are monotone in the norm
        float[] norm = LegacyNorms.norms(Points.random(300, 4, 9));
        int[] s = OsmoticV2Filler.initialShells(norm, 256);
        for (int i = 0; i < norm.length; i++) {
            for (int j = 0; j < norm.length; j++) {
                if (norm[i] < norm[j]) {
                    assertTrue(s[i] <= s[j]);
                }
            }
        }
    }

    @Test
    void v1RadiiStayInTheUnitInterval() throws IOException {
        Placement pl = new OsmoticV1Filler(ConfigFiles.parse("algorithm: osmotic-v1\ntarget_shells: 128\n"))
                .place(Points.random(500, 16, 4));
        double[] b = OsmoticV1Filler.radiusTable(128);
        for (int i = 0; i < pl.size(); i++) {
            assertEquals((float) b[pl.shells()[i]], pl.radii()[i]);
            assertTrue(pl.radii()[i] >= 0 && pl.radii()[i] <= 1);
        }
        assertEquals(500, Arrays.stream(pl.capacities()).sum(), 1e-6);
        assertEquals(0, pl.capacities()[0], "v1 shell 0 has radius 0 and capacity 0");
    }
}
