package dev.blt.waterfill.core;

import dev.blt.waterfill.config.EntropyMode;

/**
 * The ranking score of the exact and Langevin algorithms. Entropy-weighted scores are kept in the log domain
 * (ln p − H/T instead of p·exp(−H/T)): the order is the same, and nothing underflows, unlike the float32 original.
 */
public final class Scores {
    private Scores() {
    }

    public static float[] compute(PointSet points, EntropyMode mode, double temperature) {
        if (mode != EntropyMode.NONE && !points.hasEntropies()) {
            throw new IllegalArgumentException(points.source() + ": entropy mode '" + mode.id()
                    + "' needs entropies, but the input has none");
        }
        float[] p = points.prominence();
        float[] h = points.entropies();
        float[] s = new float[points.n()];
        for (int i = 0; i < s.length; i++) {
            double v = switch (mode) {
                case NONE -> p[i];
                case PENALIZE -> Math.log(p[i]) - h[i] / temperature;
                case REWARD -> Math.log(p[i]) + Math.log1p(Math.max(h[i], 0));
            };
            if (Double.isNaN(v)) {
                throw new IllegalArgumentException(points.source() + ": point " + i + " has no valid score (prominence "
                        + p[i] + (h == null ? "" : ", entropy " + h[i]) + ")");
            }
            s[i] = (float) v;
        }
        return s;
    }
}
