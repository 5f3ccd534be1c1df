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
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Legacy TheSphere lateral optimizer, spec §6 and §12.2 item 14. */
class LateralFillerTest {
    private static final String ORIGINAL = "algorithm: lateral\ntarget_shells: 512\nmin_radius: 128\nmax_radius: 1024\n";

    @Test
    void goldenCapacities() throws IOException {
        Placement pl = new LateralFiller(ConfigFiles.parse(ORIGINAL)).place(Points.random(1000, 8, 1));
        double[] c = pl.capacities();
        assertEquals(1.402e-4, c[0] / 1000, 1e-7);
        assertEquals(3.172e-3, c[511] / 1000, 1e-6);
        assertEquals(Math.pow(8, 1.5), c[511] / c[0], 1e-9);
        assertEquals(1000, Arrays.stream(c).sum(), 1e-9);
    }

    @Test
    void smallInputsTakeExactlyOnePassAndStayInRange() throws IOException {
        PointSet p = Points.random(2048, 64, 5); // N = 4S
        WaterFillConfig c = ConfigFiles.parse(ORIGINAL);
        Placement pl = new LateralFiller(c).place(p);
        assertEquals(1, pl.info().get("passes"));
        double eff = pl.info().get("lateral_efficiency").doubleValue();
        assertTrue(eff >= 0 && eff <= 1);
        int[] hist = new int[512];
        for (int i = 0; i < p.n(); i++) {
            assertTrue(pl.radii()[i] >= 0.98 * 128 - 1e-3 && pl.radii()[i] <= 1.02 * 1024 + 1e-3);
            assertTrue(pl.theta()[i] >= 1e-6 - 1e-7 && pl.theta()[i] <= Math.PI - 1e-6 + 1e-6);
            assertTrue(pl.phi()[i] >= 0 && pl.phi()[i] < 2 * Math.PI);
            hist[pl.shells()[i]]++;
        }
        assertEquals(p.n(), Arrays.stream(hist).sum());
    }

    @Test
    void largerInputsRunMorePassesWithinTheLimit() throws IOException {
        WaterFillConfig c = ConfigFiles.parse("algorithm: lateral\ntarget_shells: 32\nlegacy:\n  lateral_max_passes: 6\n");
        Placement pl = new LateralFiller(c).place(Points.random(3000, 16, 6));
        int passes = pl.info().get("passes").intValue();
        assertTrue(passes > 1 && passes <= 6, "passes " + passes);
        assertArrayEquals(pl.radii(), new LateralFiller(c).place(Points.random(3000, 16, 6)).radii(), "seeded");
    }
}
