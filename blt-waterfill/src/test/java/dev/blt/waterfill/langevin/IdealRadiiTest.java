package dev.blt.waterfill.langevin;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** spec §12.3 item 15. */
class IdealRadiiTest {
    private static final float[] PROMINENCE = {3, 1, 2, 5, 4};

    @Test
    void goldenValues() {
        assertArrayEquals(new double[] {334.3811, 479.4415, 410.4193, 135.4129, 247.1074},
                IdealRadii.compute(PROMINENCE, 32, 512, 1.5, true), 1e-4);
        assertArrayEquals(new double[] {371.4113, 487.3680, 433.5968, 183.7893, 294.9068},
                IdealRadii.compute(PROMINENCE, 32, 512, 2, true), 1e-4);
        // TheSphere: ascending, no hollow core
        assertArrayEquals(new double[] {322.5398, 110.3071, 229.4479, 477.2709, 403.6472},
                IdealRadii.compute(PROMINENCE, 0, 512, 1.5, false), 1e-4);
    }

    @Test
    void aPermutationOfTheRankLawWithIndexTies() {
        float[] p = {2, 7, 2, 2, 9, 0.5f, 7};
        double[] r = IdealRadii.compute(p, 10, 100, 1.7, false);
        double[] sorted = r.clone();
        Arrays.sort(sorted);
        for (int k = 0; k < p.length; k++) {
            assertTrue(Math.abs(sorted[k] - (10 + 90 * Math.pow((k + 0.5) / p.length, 1 / 1.7))) < 1e-12);
            assertTrue(sorted[k] > 10 && sorted[k] < 100);
        }
        // equal scores: the lower index gets the lower rank
        assertTrue(r[0] < r[2] && r[2] < r[3] && r[1] < r[6]);
    }
}
