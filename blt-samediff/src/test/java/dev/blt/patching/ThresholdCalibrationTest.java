package dev.blt.patching;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThresholdCalibrationTest {
    private static final PatchOptions PLAIN = PatchOptions.defaults();

    @Test
    void oneDocumentByHand() {
        // positions 0 and 1 start patches; the entropies at 1..4 may start the next; the first and last never do
        List<float[]> docs = List.of(new float[]{5, 1, 3, 2, 0.5f, 4});
        // patches 2..6 for t >= 3, [2,3), [1,2), [0.5,1), < 0.5: means 3, 2, 1.5, 1.2, 1
        assertResult(docs, 3, 3f, 2);
        assertResult(docs, 2, Math.nextDown(3f), 3);
        assertResult(docs, 2.6, 3f, 2);
        assertResult(docs, 1.6, Math.nextDown(2f), 4);
        assertResult(docs, 1.1, Math.nextDown(1f), 5);
    }

    @Test
    void severalDocumentsWithTiesByHand() {
        // 6 positions, 4 fixed starts (two per document), candidates 2 and 2: 4 or 6 patches
        List<float[]> docs = List.of(new float[]{1, 9}, new float[]{}, new float[]{0, 2, 2, 7});
        assertResult(docs, 1.5, 2f, 4);
        assertResult(docs, 1.2, Math.nextDown(2f), 6);
        assertEquals(2, ThresholdCalibration.calibrate(docs, 1.5, PLAIN).documents());
    }

    @Test
    void nextTokenPositionCounts() {
        PatchOptions next = new PatchOptions(0, null, false, null, true);
        // 4 positions with the next token; the entropies at 1 and 2 may start patches: 2, 3 or 4 patches
        List<float[]> docs = List.of(new float[]{5, 1, 3});
        ThresholdCalibration.Result r = ThresholdCalibration.calibrate(docs, 1.4, next);
        assertEquals(Math.nextDown(3f), (float) r.threshold());
        assertEquals(3, r.patches());
        assertEquals(3, EntropyPatcher.patches(docs.get(0), next.withThreshold(r.threshold())).count());
    }

    @Test
    void refusesWhatCannotBeReached() {
        String m = assertThrows(IllegalArgumentException.class, () -> ThresholdCalibration.calibrate(
                List.of(new float[]{1}, new float[]{1, 2}), 2, PLAIN)).getMessage();
        assertTrue(m.contains("cannot be reached"), m);
        assertThrows(IllegalArgumentException.class, () -> ThresholdCalibration.calibrate(List.of(new float[0]), 2, PLAIN));
        assertThrows(IllegalArgumentException.class, () -> ThresholdCalibration.calibrate(
                List.of(new float[]{1, 2, 3, 4}), 1, PLAIN));
        assertThrows(IllegalArgumentException.class, () -> ThresholdCalibration.calibrate(
                List.of(new float[]{1, 2, 3, 4}), 1.5, new PatchOptions(1, null, true, null, false)));
    }

    /** Against brute force: no threshold gives a mean patch length closer to the target. */
    @Test
    void asCloseAsAnyThreshold() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 300; trial++) {
            PatchOptions rule = new PatchOptions(0, null, false, null, rnd.nextInt(4) == 0);
            List<float[]> docs = new ArrayList<>();
            TreeSet<Float> values = new TreeSet<>();
            int n = 1 + rnd.nextInt(5);
            boolean coarse = rnd.nextBoolean();
            for (int d = 0; d < n; d++) {
                float[] e = new float[rnd.nextInt(30)];
                for (int i = 0; i < e.length; i++) {
                    e[i] = coarse ? rnd.nextInt(12) * 0.25f : rnd.nextFloat() * 4;
                    values.add(e[i]);
                    values.add(Math.nextDown(e[i]));
                }
                docs.add(e);
            }
            values.add(-1f);
            values.add(100f);
            double target = 1 + rnd.nextDouble() * 6;
            double best = Double.POSITIVE_INFINITY;
            double lo = Double.POSITIVE_INFINITY;
            double hi = 0;
            for (float t : values) {
                double mean = mean(docs, rule.withThreshold(t));
                best = Math.min(best, Math.abs(mean - target));
                lo = Math.min(lo, mean);
                hi = Math.max(hi, mean);
            }
            if (docs.stream().allMatch(e -> e.length == 0) || target > hi) {
                double tooFar = target;
                assertThrows(IllegalArgumentException.class, () -> ThresholdCalibration.calibrate(docs, tooFar, rule));
                continue;
            }
            ThresholdCalibration.Result r = ThresholdCalibration.calibrate(docs, target, rule);
            double got = mean(docs, rule.withThreshold(r.threshold()));
            assertEquals(r.meanPatch(), got, 1e-12, "trial " + trial);
            assertEquals((float) r.threshold(), r.threshold(), 0, "a float32 value");
            assertTrue(Math.abs(got - target) <= best + 1e-12,
                    "trial " + trial + ": mean " + got + " for target " + target + ", best possible off by " + best);
        }
    }

    private static double mean(List<float[]> docs, PatchOptions o) {
        long positions = 0;
        long patches = 0;
        for (float[] e : docs) {
            if (e.length > 0) {
                for (long l : EntropyPatcher.patches(e, o).lengths()) {
                    positions += l;
                }
                patches += EntropyPatcher.patches(e, o).count();
            }
        }
        return (double) positions / patches;
    }

    private static void assertResult(List<float[]> docs, double target, float threshold, long patches) {
        ThresholdCalibration.Result r = ThresholdCalibration.calibrate(docs, target, PLAIN);
        assertEquals(threshold, (float) r.threshold(), "target " + target);
        assertEquals(patches, r.patches(), "target " + target);
        assertEquals(mean(docs, PLAIN.withThreshold(r.threshold())), r.meanPatch(), 1e-12);
    }
}
