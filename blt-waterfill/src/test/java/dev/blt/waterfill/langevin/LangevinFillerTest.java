package dev.blt.waterfill.langevin;

import dev.blt.waterfill.config.ConfigFiles;
import dev.blt.waterfill.config.WaterFillConfig;
import dev.blt.waterfill.core.Placement;
import dev.blt.waterfill.core.PointSet;
import dev.blt.waterfill.core.Scores;
import dev.blt.waterfill.testing.Points;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LangevinFillerTest {

    @Test
    void aSeedReproducesTheOutputBitForBit() throws IOException {
        // 5000 points: above exact_knn_below, so the approximate kNN path is part of the check
        PointSet p = Points.random(5000, 24, 1);
        WaterFillConfig c = ConfigFiles.parse("algorithm: langevin\nlangevin:\n  steps: 5\n  sigma: 30\n");
        Placement a = new LangevinFiller(c).place(p);
        Placement b = new LangevinFiller(c).place(p);
        assertArrayEquals(a.radii(), b.radii());
        assertArrayEquals(a.theta(), b.theta());
        assertArrayEquals(a.phi(), b.phi());
        Placement other = new LangevinFiller(ConfigFiles.parse("algorithm: langevin\nseed: 43\nlangevin:\n  steps: 5\n  sigma: 30\n")).place(p);
        assertFalse(Arrays.equals(a.phi(), other.phi()));
    }

    @Test
    void withoutNoiseRadiiFollowTheRankLaw() throws IOException {
        PointSet p = Points.random(500, 8, 2);
        WaterFillConfig c = ConfigFiles.parse("algorithm: langevin\norientation: prominent-inward\n"
                + "langevin:\n  steps: 1\n  temperature: 0\n  neighbours: 0\n");
        Placement pl = new LangevinFiller(c).place(p);
        double[] ideal = IdealRadii.compute(Scores.compute(p, c.entropyMode(), 1), 32, 512, 1.5, true);
        for (int i = 0; i < p.n(); i++) {
            assertEquals(ideal[i], pl.radii()[i], 1e-3);
            assertTrue(pl.theta()[i] >= 0 && pl.theta()[i] <= Math.PI);
            assertTrue(pl.phi()[i] >= 0 && pl.phi()[i] < 2 * Math.PI);
            assertTrue(pl.shells()[i] >= 0 && pl.shells()[i] < 256);
        }
    }

    @Test
    void defaultRunStaysInRangeAndReportsEnergy() throws IOException {
        Placement pl = new LangevinFiller(ConfigFiles.parse("algorithm: langevin\nlangevin:\n  steps: 20\n  anneal: true\n"))
                .place(Points.random(300, 8, 3));
        for (float r : pl.radii()) {
            assertTrue(r >= 32 && r <= 512);
        }
        assertTrue(pl.info().get("energy_end").doubleValue() < pl.info().get("energy_start").doubleValue());
        assertTrue(pl.info().get("knn_edges").longValue() >= 300 * 16 / 2);
    }
}
