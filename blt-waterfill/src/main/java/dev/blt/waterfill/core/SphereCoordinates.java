package dev.blt.waterfill.core;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Turns a placement into coordinates: the D-dimensional {@code sphere_coords} (the embedding's direction times its
 * radius, as the Python script) and the 3-D view (θ, φ, cartesian). Algorithms that do not move points on a 3-D sphere
 * get their angles from a fixed Gaussian projection of the embedding direction to 3-D, so similar embeddings sit
 * close together in the view; the projection depends only on the seed and D, so views of different algorithms are
 * comparable. One fused pass per row (norm, projection, scaling) keeps the row in cache: this pass is the cost of the
 * default algorithm at D = 768.
 *
 * @param sphere    [N·D] row-major
 * @param theta     [N]
 * @param phi       [N]
 * @param cartesian [N·3] row-major
 */
public record SphereCoordinates(float[] sphere, float[] theta, float[] phi, float[] cartesian) {
    /** sphere_coords = e / (||e|| + EPS) · r, the script's formula: a zero embedding stays zero. */
    public static final double EPS = 1e-8;
    private static final int ROWS_PER_TASK = 4096;

    /**
     * @param inPlace write the D-dimensional coordinates over {@code points.embeddings()} instead of a new array
     *                (saves N·D floats; the points are unusable afterwards)
     */
    public static SphereCoordinates compute(PointSet points, Placement placement, long seed, boolean inPlace) {
        int n = points.n();
        int dim = points.dim();
        float[] e = points.embeddings();
        float[] out = inPlace ? e : new float[e.length];
        float[] theta = placement.hasAngles() ? placement.theta() : new float[n];
        float[] phi = placement.hasAngles() ? placement.phi() : new float[n];
        float[] projection = placement.hasAngles() ? null : projection(dim, seed);
        float[] radii = placement.radii();
        int tasks = (n + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
        IntStream.range(0, tasks).parallel().forEach(t -> {
            int end = Math.min(n, (t + 1) * ROWS_PER_TASK);
            for (int i = t * ROWS_PER_TASK; i < end; i++) {
                row(e, out, i, dim, radii[i], projection, theta, phi);
            }
        });
        float[] cartesian = new float[n * 3];
        for (int i = 0; i < n; i++) {
            Spherical.toCartesian(radii[i], theta[i], phi[i], cartesian, 3 * i);
        }
        return new SphereCoordinates(out, theta, phi, cartesian);
    }

    private static void row(float[] e, float[] out, int i, int dim, float radius, float[] w,
                            float[] theta, float[] phi) {
        int off = i * dim;
        double ss = 0;
        double x = 0;
        double y = 0;
        double z = 0;
        if (w != null) {
            for (int d = 0; d < dim; d++) {
                double v = e[off + d];
                ss += v * v;
                x += v * w[d];
                y += v * w[dim + d];
                z += v * w[2 * dim + d];
            }
            double len = Math.sqrt(x * x + y * y + z * z);
            theta[i] = (float) Spherical.theta(z, len);
            phi[i] = (float) Spherical.phi(x, y);
        } else {
            for (int d = 0; d < dim; d++) {
                double v = e[off + d];
                ss += v * v;
            }
        }
        float scale = (float) (radius / (Math.sqrt(ss) + EPS));
        for (int d = 0; d < dim; d++) {
            out[off + d] = e[off + d] * scale;
        }
    }

    /** Three Gaussian rows [3·dim], a function of (dim, seed) only. */
    static float[] projection(int dim, long seed) {
        SplittableRandom rng = new SplittableRandom(seed ^ 0x3D5EED0F3D71E0L);
        float[] w = new float[3 * dim];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rng.nextGaussian();
        }
        return w;
    }
}
