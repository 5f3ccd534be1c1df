package dev.blt.waterfill.algorithms;

import dev.blt.waterfill.config.ConfigFiles;
import dev.blt.waterfill.config.WaterFillConfig;
import dev.blt.waterfill.core.Placement;
import dev.blt.waterfill.core.PointSet;
import dev.blt.waterfill.testing.Points;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Legacy energy lookup (spec §4) and entropy-weighted allocation (spec §5). */
class LookupAndEntropyFillerTest {

    @Test
    void energyLookupGoldenVector() throws IOException {
        float[] norms = {0.5f, 5, 17.5f, 25, 60, 1442, 1500, 1600, 1e13f};
        Placement pl = new EnergyLookupFiller(ConfigFiles.parse("algorithm: energy-lookup\ntarget_shells: 128\n"))
                .place(Points.withNorms(norms, 8, 1));
        assertArrayEquals(new int[] {0, 2, 6, 8, 15, 127, 127, 0, 0}, pl.shells());
        assertArrayEquals(new float[] {0, 0.002907f, 0.011748f, 0.017442f, 0.042459f, 0.988364f, 0.988364f, 0, 0},
                pl.radii(), 2e-6f);
    }

    @Test
    void energyLookupIsTheNearestShellEnergyAndIgnoresTemperature() throws IOException {
        PointSet p = Points.random(300, 8, 3);
        Placement t1 = new EnergyLookupFiller(ConfigFiles.parse("target_shells: 128\n")).place(p);
        for (double t : new double[] {0.1, 10}) {
            Placement other = new EnergyLookupFiller(ConfigFiles.parse("target_shells: 128\nlegacy:\n  energy_temperature: " + t + "\n")).place(p);
            assertArrayEquals(t1.shells(), other.shells());
        }
        for (int i = 0; i < p.n(); i++) {
            double e = (float) p.norm(i);
            int best = 0;
            for (int k = 1; k < 128; k++) {
                if (Math.abs(e - level(k)) < Math.abs(e - level(best))) {
                    best = k;
                }
            }
            assertEquals(best, t1.shells()[i]);
        }
    }

    private static double level(int k) {
        return (float) (Math.sqrt(k) + Math.pow(k, 1.5));
    }

    private static PointSet withEntropies(float[] p, float[] h) {
        return new PointSet("t", p.length, 1, p.clone(), p, h);
    }

    @Test
    void entropyWeightedBoundsAndMean() throws IOException {
        PointSet base = Points.random(1000, 4, 7);
        WaterFillConfig c = ConfigFiles.parse("algorithm: entropy-weighted\nlegacy:\n  entropy_temperature: 1.0\n");
        Placement pl = new EntropyWeightedFiller(c).place(base);
        double lower = 32 + 480 / Math.E;
        for (int i = 0; i < pl.size(); i++) {
            assertTrue(pl.radii()[i] >= lower - 1e-3 && pl.radii()[i] <= 512, "r = " + pl.radii()[i]);
            // shell from 256 equal bands: r in (β_s, β_{s+1}]
            int s = pl.shells()[i];
            double width = 480.0 / 256;
            assertTrue(pl.radii()[i] > 32 + s * width - 1e-3 && pl.radii()[i] <= 32 + (s + 1) * width + 1e-3);
        }
        float[] unclipped = EntropyWeightedFiller.unclippedRadii(base, 1.0, 32, 480);
        double mean = 0;
        for (float r : unclipped) {
            mean += r;
        }
        assertEquals(512, mean / unclipped.length, 512e-3);
    }

    @Test
    void equalAllocationsPutEverythingAtTheMaximum() throws IOException {
        float[] p = new float[20];
        float[] h = new float[20];
        Arrays.fill(p, 3);
        Arrays.fill(h, 0.5f);
        Placement pl = new EntropyWeightedFiller(ConfigFiles.parse("legacy:\n  entropy_temperature: 1.0\n"))
                .place(withEntropies(p, h));
        for (int i = 0; i < 20; i++) {
            assertEquals(512f, pl.radii()[i], 1e-3f);
            assertEquals(255, pl.shells()[i]);
        }
    }

    @Test
    void underflowAtTheOriginalTemperatureIsAnExplicitError() throws IOException {
        float[] p = {10, 20, 30};
        float[] h = {0.01f, 1, 3};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new EntropyWeightedFiller(ConfigFiles.parse("")).place(withEntropies(p, h)));
        assertTrue(e.getMessage().contains("underflows"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new EntropyWeightedFiller(ConfigFiles.parse("")).place(Points.withNorms(p, 2, 1)));
    }

    @Test
    void oneZeroEntropyTokenPushesAllOthersNearTheMaximum() throws IOException {
        // spec §5: with T = 1e-5 only H ≈ 0 survives; everyone else gets min + span·N/(N − 1 + e)
        float[] p = new float[100];
        float[] h = new float[100];
        Arrays.fill(p, 20);
        Arrays.fill(h, 1);
        h[0] = 0;
        Placement pl = new EntropyWeightedFiller(ConfigFiles.parse("")).place(withEntropies(p, h));
        assertEquals(512f, pl.radii()[0], 1e-3f);
        assertEquals(32 + 480 * 100 / (99 + Math.E), pl.radii()[1], 1e-2);
    }
}
