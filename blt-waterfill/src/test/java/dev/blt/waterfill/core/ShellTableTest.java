package dev.blt.waterfill.core;

import dev.blt.waterfill.config.ShellSpacing;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShellTableTest {

    @Test
    void sqrtSpacingMatchesTheLateralGoldenRadii() {
        // spec §6: S = 512, 128..1024
        ShellTable t = new ShellTable(512, 128, 1024, ShellSpacing.SQRT);
        assertEquals(128, t.radius(0), 1e-9);
        assertEquals(167.6367, t.radius(1), 1e-4);
        assertEquals(184.0548, t.radius(2), 1e-4);
        assertEquals(1023.1229, t.radius(510), 1e-4);
        assertEquals(1024, t.radius(511), 1e-9);
    }

    @Test
    void linearSpacingIsEquidistantAndStrictlyIncreasing() {
        ShellTable t = new ShellTable(5, 32, 512, ShellSpacing.LINEAR);
        assertArrayEquals(new double[] {32, 152, 272, 392, 512}, t.radii(), 1e-12);
        ShellTable s = new ShellTable(300, 32, 512, ShellSpacing.SQRT);
        for (int k = 1; k < s.size(); k++) {
            assertTrue(s.radius(k) > s.radius(k - 1));
        }
    }

    @Test
    void capacitiesSumToNAndFollowTheRadiusLaw() {
        ShellTable t = new ShellTable(256, 32, 512, ShellSpacing.SQRT);
        for (int n : new int[] {0, 1, 7, 255, 1000, 123457}) {
            int[] cap = t.capacities(n, 1.5);
            double[] real = t.realCapacities(n, 1.5);
            long sum = 0;
            for (int k = 0; k < cap.length; k++) {
                sum += cap[k];
                // largest remainder: every integer capacity is a floor or a ceiling of the real one
                assertTrue(Math.abs(cap[k] - real[k]) < 1, "shell " + k);
            }
            assertEquals(n, sum);
            double norm = 0;
            for (int k = 0; k < 256; k++) {
                norm += Math.pow(t.radius(k), 1.5);
            }
            for (int k = 0; k < 256; k += 51) {
                assertEquals(n * Math.pow(t.radius(k), 1.5), real[k] * norm, 1e-6 * n);
            }
        }
    }

    @Test
    void largestRemainderByHand() {
        // reals 1.5, 1.3, 2.2 (sum 5): floors 1, 1, 2 = 4; one unit left goes to the largest remainder, shell 0
        assertArrayEquals(new long[] {2, 1, 2}, ShellTable.largestRemainder(new double[] {1.5, 1.3, 2.2}, 5));
        // equal remainders: the lower shell wins
        assertArrayEquals(new long[] {1, 1, 0}, ShellTable.largestRemainder(new double[] {2.0 / 3, 2.0 / 3, 2.0 / 3}, 2));
    }

    @Test
    void nearestShellTiesGoToTheLowerIndex() {
        ShellTable t = new ShellTable(3, 0, 10, ShellSpacing.LINEAR); // 0, 5, 10
        assertEquals(0, t.nearest(-3));
        assertEquals(0, t.nearest(2.5));
        assertEquals(1, t.nearest(2.6));
        assertEquals(1, t.nearest(7.5));
        assertEquals(2, t.nearest(7.6));
        assertEquals(2, t.nearest(99));
    }
}
