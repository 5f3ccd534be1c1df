package dev.blt.waterfill.langevin;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Unadjusted overdamped Langevin dynamics of N points in 3-D (spec §7.2) under
 * H(x) = Σ_i (r_i − r*_i)² − Σ_{edges i<j} S_ij·exp(−||x_i − x_j||²/σ²):
 * x ← x + h·F(x) + sqrt(2hT)·ξ with F = −∇H, i.e. gravity −2(r − r*)·r̂ plus the lateral pull
 * (2/σ²)·Σ_j S_ij·exp(−d²/σ²)·(x_j − x_i) (the Python original used 1 instead of 2/σ², which is not the gradient).
 * Forces are computed in parallel but each from the same old state, and the noise comes from one seeded generator in a
 * fixed order, so a seed gives bit-identical trajectories on any number of threads.
 */
public final class LangevinDynamics {
    private static final int ROWS_PER_TASK = 2048;

    private final double[] x;
    private final double[] ideal;
    private final SimilarityGraph graph;
    private final double sigma2;
    private final double minRadius;
    private final double maxRadius;
    private final boolean clip;
    private final SplittableRandom rng;
    private final double[] force;

    /**
     * @param positions initial positions [3N], taken over (not copied)
     * @param clip      rescale points whose radius leaves [minRadius, maxRadius] back onto the boundary after a step
     */
    public LangevinDynamics(double[] positions, double[] ideal, SimilarityGraph graph, double sigma,
                            double minRadius, double maxRadius, boolean clip, SplittableRandom rng) {
        if (positions.length != 3 * ideal.length || graph.size() != ideal.length) {
            throw new IllegalArgumentException("positions, ideal radii and graph disagree on N");
        }
        this.x = positions;
        this.ideal = ideal;
        this.graph = graph;
        this.sigma2 = sigma * sigma;
        this.minRadius = minRadius;
        this.maxRadius = maxRadius;
        this.clip = clip;
        this.rng = rng;
        this.force = new double[positions.length];
    }

    /** The live position array [3N]. */
    public double[] positions() {
        return x;
    }

    public double radius(int i) {
        return Math.sqrt(x[3 * i] * x[3 * i] + x[3 * i + 1] * x[3 * i + 1] + x[3 * i + 2] * x[3 * i + 2]);
    }

    /** One synchronous step at temperature T. */
    public void step(double h, double temperature) {
        forces(force);
        double noise = Math.sqrt(2 * h * temperature);
        for (int c = 0; c < x.length; c++) {
            // the generator is advanced even at T = 0, so annealed and fixed-T runs share their angle draws
            x[c] += h * force[c] + noise * rng.nextGaussian();
        }
        if (clip) {
            for (int i = 0; i < ideal.length; i++) {
                double r = radius(i);
                double target = Math.max(minRadius, Math.min(maxRadius, r));
                if (r > 0 && target != r) {
                    double s = target / r;
                    x[3 * i] *= s;
                    x[3 * i + 1] *= s;
                    x[3 * i + 2] *= s;
                }
            }
        }
    }

    /** F = −∇H at the current positions, into out [3N]. */
    public void forces(double[] out) {
        int n = ideal.length;
        double c = 2 / sigma2;
        int tasks = (n + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
        IntStream.range(0, tasks).parallel().forEach(t -> {
            for (int i = t * ROWS_PER_TASK, end = Math.min(n, (t + 1) * ROWS_PER_TASK); i < end; i++) {
                double xi = x[3 * i];
                double yi = x[3 * i + 1];
                double zi = x[3 * i + 2];
                double r = radius(i);
                double g = r > 0 ? -2 * (r - ideal[i]) / r : 0;
                double fx = g * xi;
                double fy = g * yi;
                double fz = g * zi;
                for (int e = graph.offsets()[i]; e < graph.offsets()[i + 1]; e++) {
                    int j = graph.neighbours()[e];
                    double dx = x[3 * j] - xi;
                    double dy = x[3 * j + 1] - yi;
                    double dz = x[3 * j + 2] - zi;
                    double w = c * graph.weights()[e] * Math.exp(-(dx * dx + dy * dy + dz * dz) / sigma2);
                    fx += w * dx;
                    fy += w * dy;
                    fz += w * dz;
                }
                out[3 * i] = fx;
                out[3 * i + 1] = fy;
                out[3 * i + 2] = fz;
            }
        });
    }

    /** H at the current positions; each undirected edge counted once. */
    public double energy() {
        double gravity = 0;
        double lateral = 0;
        for (int i = 0; i < ideal.length; i++) {
            double d = radius(i) - ideal[i];
            gravity += d * d;
            for (int e = graph.offsets()[i]; e < graph.offsets()[i + 1]; e++) {
                int j = graph.neighbours()[e];
                if (j > i) {
                    double dx = x[3 * j] - x[3 * i];
                    double dy = x[3 * j + 1] - x[3 * i + 1];
                    double dz = x[3 * j + 2] - x[3 * i + 2];
                    lateral += graph.weights()[e] * Math.exp(-(dx * dx + dy * dy + dz * dz) / sigma2);
                }
            }
        }
        return gravity - lateral;
    }
}
