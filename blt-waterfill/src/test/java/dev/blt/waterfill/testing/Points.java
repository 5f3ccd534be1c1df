package dev.blt.waterfill.testing;

import dev.blt.waterfill.core.PointSet;

import java.util.SplittableRandom;

/** Synthetic point sets for tests. */
public final class Points {
    private Points() {
    }

    /** Random directions with exactly the given norms; prominence = the norms. */
    public static PointSet withNorms(float[] norms, int dim, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] e = new float[norms.length * dim];
        for (int i = 0; i < norms.length; i++) {
            double ss = 0;
            for (int d = 0; d < dim; d++) {
                double g = rng.nextGaussian();
                e[i * dim + d] = (float) g;
                ss += g * g;
            }
            double s = norms[i] / Math.sqrt(ss);
            for (int d = 0; d < dim; d++) {
                e[i * dim + d] *= (float) s;
            }
        }
        return new PointSet("test", norms.length, dim, e, norms.clone(), null);
    }

    /** N Gaussian rows whose norms vary (a log-normal scale per row), prominence = norm, entropies in [0, 5.5]. */
    public static PointSet random(int n, int dim, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] e = new float[n * dim];
        float[] p = new float[n];
        float[] h = new float[n];
        for (int i = 0; i < n; i++) {
            double scale = Math.exp(0.5 * rng.nextGaussian());
            double ss = 0;
            for (int d = 0; d < dim; d++) {
                float v = (float) (scale * rng.nextGaussian());
                e[i * dim + d] = v;
                ss += (double) v * v;
            }
            p[i] = (float) Math.sqrt(ss);
            h[i] = (float) (5.5 * rng.nextDouble());
        }
        return new PointSet("test", n, dim, e, p, h);
    }

    /** Points around {@code clusters} random centres (noise 0.1 relative), for neighbour tests. */
    public static PointSet clustered(int n, int dim, int clusters, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] centres = new float[clusters * dim];
        for (int i = 0; i < centres.length; i++) {
            centres[i] = (float) rng.nextGaussian();
        }
        float[] e = new float[n * dim];
        float[] p = new float[n];
        for (int i = 0; i < n; i++) {
            int c = rng.nextInt(clusters);
            double ss = 0;
            for (int d = 0; d < dim; d++) {
                float v = (float) (centres[c * dim + d] + 0.3 * rng.nextGaussian());
                e[i * dim + d] = v;
                ss += (double) v * v;
            }
            p[i] = (float) Math.sqrt(ss);
        }
        return new PointSet("test", n, dim, e, p, null);
    }
}
