package dev.blt.waterfill.algorithms;

import java.util.SplittableRandom;

/**
 * The promotion/demotion loop shared by osmotic v1 and v2 (spec §2 step 6), reproduced with its flaws: the outlier
 * set is static, so the loop always runs all iterations; demotion tests the post-promotion shell against pre-step
 * loads, so non-outliers never climb into underloaded shells. The only change: the 30% "lateral" masks come from the
 * run's seeded generator instead of PRNGKey(iteration).
 */
final class OsmoticLoop {
    static final double OVERLOAD = 1.2;
    static final double UNDERLOAD = 0.8;
    static final double LATERAL_SHARE = 0.3;

    /** Final shells (updated in place) and the number of iterations that ran. */
    record Outcome(int[] shells, int iterations) {
    }

    private OsmoticLoop() {
    }

    /** p > mean + 1·std (population std), strictly. */
    static boolean[] outliers(float[] p) {
        float threshold = LegacyNorms.mean(p) + LegacyNorms.std(p);
        boolean[] out = new boolean[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = p[i] > threshold;
        }
        return out;
    }

    static Outcome run(int[] shells, boolean[] outlier, double[] capacity, int maxIters, SplittableRandom rng) {
        int n = capacity.length;
        boolean anyOutlier = false;
        for (boolean o : outlier) {
            anyOutlier |= o;
        }
        boolean[] over = new boolean[n];
        boolean[] under = new boolean[n];
        int t = 0;
        for (; t < maxIters; t++) {
            int[] count = LegacyNorms.histogram(shells, n);
            boolean anyOver = false;
            for (int k = 0; k < n; k++) {
                float load = (float) (count[k] / (capacity[k] + 1e-8));
                over[k] = load > OVERLOAD;
                under[k] = load < UNDERLOAD;
                anyOver |= over[k];
            }
            if (!anyOver && !anyOutlier) {
                break;
            }
            for (int i = 0; i < shells.length; i++) {
                boolean lateral = rng.nextDouble() < LATERAL_SHARE;
                int s = shells[i];
                if ((outlier[i] || over[s]) && !lateral) {
                    s = Math.min(s + 1, n - 1);
                }
                if (under[s] && !outlier[i]) {
                    s = Math.max(s - 1, 0);
                }
                shells[i] = s;
            }
        }
        return new Outcome(shells, t);
    }
}
