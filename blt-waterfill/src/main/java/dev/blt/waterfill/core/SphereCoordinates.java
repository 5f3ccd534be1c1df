package dev.blt.waterfill.core;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Turns a placement into coordinates: the D-dimensional {@code sphere_coords} (the embedding's direction times its
 * radius, as the Python script) and the 3-D view (θ, φ, cartesian). Algorithms that do not move points on a 3-D sphere
 * get their angles from a fixed sparse random projection of the embedding to 3-D, so similar embeddings sit
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
        float[] sign = projection(dim, seed);
        float[] ownTheta = placement.hasAngles() ? null : theta;
        float[] ownPhi = placement.hasAngles() ? null : phi;
        float[] radii = placement.radii();
        float[] cartesian = new float[n * 3];
        int tasks = (n + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
        IntStream.range(0, tasks).parallel().forEach(t -> {
            int end = Math.min(n, (t + 1) * ROWS_PER_TASK);
            for (int i = t * ROWS_PER_TASK; i < end; i++) {
                row(e, out, i, dim, radii[i], sign, ownTheta, ownPhi);
                Spherical.toCartesian(radii[i], theta[i], phi[i], cartesian, 3 * i);
            }
        });
        return new SphereCoordinates(out, theta, phi, cartesian);
    }

    private static void row(float[] e, float[] out, int i, int dim, float radius, float[] sign,
                            float[] theta, float[] phi) {
        int off = i * dim;
        // twelve independent float accumulators (6 for ||e||², 2 × (x, y, z)): float reductions are not
        // auto-vectorized, and one long dependency chain would leave the FP units idle
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        float s4 = 0;
        float s5 = 0;
        float x0 = 0;
        float y0 = 0;
        float z0 = 0;
        float x1 = 0;
        float y1 = 0;
        float z1 = 0;
        int d = 0;
        for (; d + 5 < dim; d += 6) {
            float a0 = e[off + d];
            float a1 = e[off + d + 1];
            float a2 = e[off + d + 2];
            float a3 = e[off + d + 3];
            float a4 = e[off + d + 4];
            float a5 = e[off + d + 5];
            s0 += a0 * a0;
            s1 += a1 * a1;
            s2 += a2 * a2;
            s3 += a3 * a3;
            s4 += a4 * a4;
            s5 += a5 * a5;
            x0 += sign[d] * a0;
            y0 += sign[d + 1] * a1;
            z0 += sign[d + 2] * a2;
            x1 += sign[d + 3] * a3;
            y1 += sign[d + 4] * a4;
            z1 += sign[d + 5] * a5;
        }
        for (; d < dim; d++) {
            float a = e[off + d];
            s0 += a * a;
            float v = sign[d] * a;
            switch (d % 3) {
                case 0 -> x0 += v;
                case 1 -> y0 += v;
                default -> z0 += v;
            }
        }
        if (theta != null) {
            double x = x0 + x1;
            double y = y0 + y1;
            double z = z0 + z1;
            theta[i] = (float) Spherical.theta(z, Math.sqrt(x * x + y * y + z * z));
            phi[i] = (float) Spherical.phi(x, y);
        }
        double ss = ((double) s0 + s1) + ((double) s2 + s3) + ((double) s4 + s5);
        float scale = (float) (radius / (Math.sqrt(ss) + EPS));
        for (d = 0; d < dim; d++) {
            out[off + d] = e[off + d] * scale;
        }
    }

    /**
     * A sparse random projection to 3-D: x, y and z are sums of the dimensions d ≡ 0, 1, 2 (mod 3) with random signs
     * (a sparse Johnson-Lindenstrauss map, so inner products are preserved on average). It costs one pass, like the
     * norm, where a dense 3 × D Gaussian would quadruple the arithmetic of the default algorithm. A function of
     * (dim, seed) only.
     */
    static float[] projection(int dim, long seed) {
        SplittableRandom rng = new SplittableRandom(seed ^ 0x3D5EED0F3D71E0L);
        float[] sign = new float[dim];
        for (int d = 0; d < dim; d++) {
            sign[d] = rng.nextBoolean() ? 1f : -1f;
        }
        return sign;
    }
}
