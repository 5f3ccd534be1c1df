package dev.blt.waterfill.algorithms;

import dev.blt.waterfill.core.PointSet;

/** Float32 statistics the legacy scripts computed with JAX defaults (float32, population std). */
final class LegacyNorms {
    private LegacyNorms() {
    }

    /** ||e_i|| rounded to float32: the osmotic and lookup scripts ignore the file's prominence and use these. */
    static float[] norms(PointSet points) {
        float[] out = new float[points.n()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) points.norm(i);
        }
        return out;
    }

    static float mean(float[] x) {
        double s = 0;
        for (float v : x) {
            s += v;
        }
        return (float) (s / x.length);
    }

    /** Population standard deviation (ddof = 0), as {@code jnp.std}. */
    static float std(float[] x) {
        double m = mean(x);
        double s = 0;
        for (float v : x) {
            s += (v - m) * (v - m);
        }
        return (float) Math.sqrt(s / x.length);
    }

    static float max(float[] x) {
        float m = Float.NEGATIVE_INFINITY;
        for (float v : x) {
            m = Math.max(m, v);
        }
        return m;
    }

    static float min(float[] x) {
        float m = Float.POSITIVE_INFINITY;
        for (float v : x) {
            m = Math.min(m, v);
        }
        return m;
    }

    static int[] histogram(int[] shells, int bins) {
        int[] h = new int[bins];
        for (int s : shells) {
            h[s]++;
        }
        return h;
    }
}
