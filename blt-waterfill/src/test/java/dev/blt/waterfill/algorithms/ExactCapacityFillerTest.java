package dev.blt.waterfill.algorithms;

import dev.blt.waterfill.config.ConfigFiles;
import dev.blt.waterfill.config.WaterFillConfig;
import dev.blt.waterfill.core.Placement;
import dev.blt.waterfill.core.PointSet;
import dev.blt.waterfill.core.Scores;
import dev.blt.waterfill.core.ShellTable;
import dev.blt.waterfill.testing.Points;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExactCapacityFillerTest {

    private static Placement place(String yaml, PointSet p) throws IOException {
        return new ExactCapacityFiller(ConfigFiles.parse(yaml)).place(p);
    }

    @Test
    void smallCaseByHand() throws IOException {
        // 2 linear shells 10 and 20, α = 1: capacities 5·10/30 = 1.67 and 3.33 -> floors 1, 3; remainder .67 > .33 -> 2, 3
        PointSet p = Points.withNorms(new float[] {5, 1, 4, 2, 3}, 4, 1);
        Placement pl = place("target_shells: 2\nmin_radius: 10\nmax_radius: 20\ncapacity_exponent: 1\n"
                + "shell_spacing: linear\nradius_placement: shell\n", p);
        assertArrayEquals(new double[] {2, 3}, pl.capacities());
        // ascending prominence 1(i1), 2(i3) -> shell 0; 3, 4, 5 -> shell 1
        assertArrayEquals(new int[] {1, 0, 1, 0, 1}, pl.shells());
        assertArrayEquals(new float[] {20, 10, 20, 10, 20}, pl.radii());

        Placement in = place("target_shells: 2\nmin_radius: 10\nmax_radius: 20\ncapacity_exponent: 1\n"
                + "shell_spacing: linear\nradius_placement: interpolated\norientation: prominent-inward\n", p);
        // inward: 5 and 4 fill shell 0 (band 10..15): 11.25, 13.75; then 3, 2, 1 in band 15..20 at 15 + 5(c+.5)/3
        assertArrayEquals(new float[] {11.25f, 20 - 5 / 6f, 13.75f, 17.5f, 15 + 5 / 6f}, in.radii(), 1e-4f);
    }

    @Test
    void everyCapacityIsMetExactly() throws IOException {
        PointSet p = Points.random(5000, 16, 3);
        for (String yaml : new String[] {"", "capacity_exponent: 2.0\nshell_spacing: linear\n",
                "target_shells: 7\norientation: prominent-inward\n", "target_shells: 9000\n"}) {
            WaterFillConfig c = ConfigFiles.parse(yaml);
            Placement pl = new ExactCapacityFiller(c).place(p);
            int[] expected = new ShellTable(c.targetShells(), c.minRadius(), c.maxRadius(), c.shellSpacing())
                    .capacities(p.n(), c.capacityExponent());
            int[] count = new int[c.targetShells()];
            for (int s : pl.shells()) {
                assertTrue(s >= 0 && s < c.targetShells());
                count[s]++;
            }
            assertArrayEquals(expected, count, yaml);
        }
    }

    @Test
    void radiiAreMonotoneInScoreAndInsideTheirBands() throws IOException {
        PointSet p = Points.random(3000, 8, 5);
        for (String orientation : new String[] {"prominent-outward", "prominent-inward"}) {
            for (String mode : new String[] {"none", "penalize", "reward"}) {
                WaterFillConfig c = ConfigFiles.parse("orientation: " + orientation + "\nentropy_mode: " + mode
                        + "\ntarget_shells: 64\n");
                Placement pl = new ExactCapacityFiller(c).place(p);
                float[] score = Scores.compute(p, c.entropyMode(), c.entropyTemperature());
                ShellTable t = new ShellTable(64, c.minRadius(), c.maxRadius(), c.shellSpacing());
                boolean outward = orientation.equals("prominent-outward");
                for (int i = 0; i < p.n(); i++) {
                    float r = pl.radii()[i];
                    int k = pl.shells()[i];
                    assertTrue(r >= c.minRadius() && r <= c.maxRadius());
                    assertTrue(r >= t.bandLow(k) && r <= t.bandHigh(k));
                    for (int j = i + 1; j < Math.min(p.n(), i + 40); j++) {
                        if (score[i] != score[j]) {
                            boolean iHigher = score[i] > score[j];
                            assertEquals(iHigher == outward, pl.radii()[i] > pl.radii()[j], orientation + " " + mode);
                        }
                    }
                }
            }
        }
    }

    @Test
    void tiesGoByIndexAndEntropyModesReorder() throws IOException {
        // equal prominence: lower index fills first, i.e. sits further in (outward orientation)
        PointSet tie = new PointSet("t", 3, 1, new float[] {1, 1, 1}, new float[] {2, 2, 2}, new float[] {3, 0, 1});
        Placement pl = place("target_shells: 3\nradius_placement: shell\ncapacity_exponent: 0\n", tie);
        assertArrayEquals(new int[] {0, 1, 2}, pl.shells());
        // penalize: lowest entropy = highest score = outermost; reward: the reverse
        assertArrayEquals(new int[] {0, 2, 1}, place("target_shells: 3\ncapacity_exponent: 0\nentropy_mode: penalize\n", tie).shells());
        assertArrayEquals(new int[] {2, 0, 1}, place("target_shells: 3\ncapacity_exponent: 0\nentropy_mode: reward\n", tie).shells());
    }

    @Test
    void entropyModesNeedEntropies() {
        PointSet p = Points.withNorms(new float[] {1, 2}, 3, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> place("entropy_mode: penalize\n", p));
        assertTrue(e.getMessage().contains("needs entropies"));
    }

    @Test
    void singlePointAndEmptyInput() throws IOException {
        Placement one = place("", Points.withNorms(new float[] {3}, 2, 1));
        assertEquals(1, one.size());
        Placement none = place("", new PointSet("e", 0, 4, new float[0], new float[0], null));
        assertEquals(0, none.size());
    }
}
