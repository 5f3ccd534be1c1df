package dev.blt.waterfill.core;

/**
 * N points to place: embeddings as one flat row-major [N, dim] array (1M × 768 floats fit in one Java array, and a
 * flat array avoids a million row objects), a prominence per point and optionally an entropy per point.
 *
 * @param source     where the points came from, for messages
 * @param n          number of points
 * @param dim        embedding dimension
 * @param embeddings [n·dim] row-major
 * @param prominence [n]
 * @param entropies  [n], or null when the input has none
 */
public record PointSet(String source, int n, int dim, float[] embeddings, float[] prominence, float[] entropies) {

    public PointSet {
        if (n < 0 || dim < 1) {
            throw new IllegalArgumentException(source + ": invalid shape [" + n + ", " + dim + "]");
        }
        if ((long) n * dim != embeddings.length) {
            throw new IllegalArgumentException(source + ": embeddings hold " + embeddings.length
                    + " values, expected " + n + " × " + dim);
        }
        if (prominence.length != n) {
            throw new IllegalArgumentException(source + ": " + prominence.length + " prominence values for " + n + " points");
        }
        if (entropies != null && entropies.length != n) {
            throw new IllegalArgumentException(source + ": " + entropies.length + " entropies for " + n + " points");
        }
    }

    public boolean hasEntropies() {
        return entropies != null;
    }

    /** ||e_i||, accumulated in double. */
    public double norm(int i) {
        int off = i * dim;
        double s0 = 0;
        double s1 = 0;
        int d = 0;
        // two accumulators: float reductions are not auto-vectorized, so give the CPU independent chains
        for (; d + 1 < dim; d += 2) {
            double a = embeddings[off + d];
            double b = embeddings[off + d + 1];
            s0 += a * a;
            s1 += b * b;
        }
        if (d < dim) {
            double a = embeddings[off + d];
            s0 += a * a;
        }
        return Math.sqrt(s0 + s1);
    }
}
