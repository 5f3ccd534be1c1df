package dev.blt.waterfill.algorithms;

import dev.blt.waterfill.config.ShellSpacing;
import dev.blt.waterfill.config.WaterFillConfig;
import dev.blt.waterfill.core.Placement;
import dev.blt.waterfill.core.PointSet;
import dev.blt.waterfill.core.ShellTable;
import dev.blt.waterfill.core.Spherical;
import dev.blt.waterfill.core.WaterFiller;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Legacy: TheSphere's {@code LateralWaterFillingOptimizerJIT} "v2.0 fixed" (spec §6), with its quirks: square-root
 * spaced shells, capacities ∝ R^α, promotion when a norm is more than threshold·(sd + 0.1) above its shell's mean,
 * a fixed 30% of the promoted points stepping sideways (same subset every pass), a ±2% "osmotic" radius nudge that
 * moves overloaded shells inward, no radius clipping (r ∈ [0.98 min, 1.02 max]), and a stop rule on the absolute
 * mean overload (> 8), so N ≤ 4S always takes exactly one pass. Returns its own (r, θ, φ). The generator is the run's
 * seeded one (the original used PRNGKey(42) for the angles and PRNGKey(0) for the lateral subset).
 */
public final class LateralFiller implements WaterFiller {
    private static final double LATERAL_SHARE = 0.30;
    private static final double STOP_OVERLOAD = 8.0;
    private static final double CONVERGED_MOVE = 0.001;

    private final WaterFillConfig config;

    public LateralFiller(WaterFillConfig config) {
        this.config = config;
    }

    @Override
    public Placement place(PointSet points) {
        int count = points.n();
        int s = config.targetShells();
        double minR = config.minRadius();
        double maxR = config.maxRadius();
        ShellTable table = new ShellTable(s, minR, maxR, ShellSpacing.SQRT);
        double[] radius = table.radii();
        double[] cap = table.realCapacities(count, config.capacityExponent());
        float[] norm = LegacyNorms.norms(points);
        SplittableRandom rng = new SplittableRandom(config.seed());

        double[] r = new double[count];
        double[] theta = new double[count];
        double[] phi = new double[count];
        initialPositions(points, norm, minR, maxR, rng, r, theta, phi);
        double[] lateralDraw = new double[count];
        for (int i = 0; i < count; i++) {
            lateralDraw[i] = rng.nextDouble();
        }
        int directions = config.legacy().lateralDirections();
        int[] direction = directionIndex(points, directions);
        double threshold = config.legacy().lateralOverflowThreshold();

        double avgOverload = 1000;
        int passes = 0;
        boolean converged = false;
        long lateralMoves = 0;
        long promotions = 0;
        int[] sid = new int[count];
        while (avgOverload > STOP_OVERLOAD && passes < config.legacy().lateralMaxPasses() && !converged) {
            int[] shellCount = new int[s];
            for (int i = 0; i < count; i++) {
                sid[i] = table.nearest(r[i]);
                shellCount[sid[i]]++;
            }
            double[] mean = new double[s];
            double[] sd = new double[s];
            shellStats(norm, sid, shellCount, mean, sd);
            double[] pressure = new double[s];
            double overloadSum = 0;
            for (int k = 0; k < s; k++) {
                double over = shellCount[k] - cap[k];
                pressure[k] = over / (cap[k] + 1);
                overloadSum += Math.abs(over);
            }
            double moved = 0;
            for (int i = 0; i < count; i++) {
                double r0 = r[i];
                double t0 = theta[i];
                double p0 = phi[i];
                boolean promote = norm[i] - mean[sid[i]] > threshold * (sd[sid[i]] + 0.1);
                boolean lateral = promote && config.legacy().lateralSearch() && lateralDraw[i] < LATERAL_SHARE;
                if (lateral) {
                    double g = 2 * Math.PI * direction[i] / directions;
                    theta[i] = clipTheta(theta[i] + 0.1 * 0.15 * Math.sin(2.1 * g));
                    phi[i] = Spherical.wrap(phi[i] + 0.1 * 0.30 * Math.cos(3.7 * g));
                    lateralMoves++;
                }
                int target = promote && !lateral ? Math.min(sid[i] + 1, s - 1) : sid[i];
                if (promote && !lateral) {
                    promotions++;
                }
                r[i] = radius[target] * (1 - 0.02 * Math.tanh(pressure[sid[i]]));
                moved += Math.abs(r[i] - r0) + Math.abs(theta[i] - t0) + Math.abs(phi[i] - p0);
            }
            avgOverload = overloadSum / s;
            converged = moved / (3.0 * count) < CONVERGED_MOVE;
            passes++;
        }

        float[] radii = new float[count];
        float[] th = new float[count];
        float[] ph = new float[count];
        int[] shells = new int[count];
        for (int i = 0; i < count; i++) {
            radii[i] = (float) r[i];
            th[i] = (float) theta[i];
            ph[i] = (float) phi[i];
            shells[i] = table.nearest(r[i]);
        }
        Map<String, Number> info = new LinkedHashMap<>();
        info.put("passes", passes);
        info.put("total_lateral_moves", lateralMoves);
        info.put("total_promotions", promotions);
        info.put("lateral_efficiency", lateralMoves / (lateralMoves + promotions + 1e-8));
        info.put("final_avg_overload", avgOverload);
        info.put("converged", converged ? 1 : 0);
        return new Placement(radii, shells, th, ph, cap, info);
    }

    /** r from the norm range (top 20% left free), θ from the row variance, φ from the norm, each with uniform jitter. */
    private static void initialPositions(PointSet points, float[] norm, double minR, double maxR, SplittableRandom rng,
                                         double[] r, double[] theta, double[] phi) {
        int count = points.n();
        int dim = points.dim();
        float[] e = points.embeddings();
        double[] variance = new double[count];
        double maxVar = 0;
        for (int i = 0; i < count; i++) {
            double m = 0;
            for (int d = 0; d < dim; d++) {
                m += e[i * dim + d];
            }
            m /= dim;
            double v = 0;
            for (int d = 0; d < dim; d++) {
                double x = e[i * dim + d] - m;
                v += x * x;
            }
            variance[i] = v / dim;
            maxVar = Math.max(maxVar, variance[i]);
        }
        double lo = count == 0 ? 0 : LegacyNorms.min(norm);
        double hi = count == 0 ? 0 : LegacyNorms.max(norm);
        for (int i = 0; i < count; i++) {
            double u = (norm[i] - lo) / (hi - lo + 1e-8);
            r[i] = minR + u * (0.8 * maxR - minR);
        }
        for (int i = 0; i < count; i++) {
            theta[i] = clipTheta(Math.PI * (0.3 + 0.4 * variance[i] / (maxVar + 1e-8)) + 0.2 * Math.PI * rng.nextDouble());
        }
        for (int i = 0; i < count; i++) {
            phi[i] = Spherical.wrap(2 * Math.PI * norm[i] / (hi + 1e-8) + Math.PI * rng.nextDouble());
        }
    }

    /** Per-shell mean and population std of the norms; denominators carry +1e-8 as the original. */
    private static void shellStats(float[] norm, int[] sid, int[] shellCount, double[] mean, double[] sd) {
        for (int i = 0; i < norm.length; i++) {
            mean[sid[i]] += norm[i];
        }
        for (int k = 0; k < mean.length; k++) {
            mean[k] /= shellCount[k] + 1e-8;
        }
        for (int i = 0; i < norm.length; i++) {
            double d = norm[i] - mean[sid[i]];
            sd[sid[i]] += d * d;
        }
        for (int k = 0; k < sd.length; k++) {
            sd[k] = Math.sqrt(sd[k] / (shellCount[k] + 1e-8));
        }
    }

    /** int32(|Σ_d e_d|·n_d) mod n_d: a hash of the component sum picks one of the harmonic directions. */
    private static int[] directionIndex(PointSet points, int directions) {
        int dim = points.dim();
        float[] e = points.embeddings();
        int[] j = new int[points.n()];
        for (int i = 0; i < j.length; i++) {
            float sum = 0;
            for (int d = 0; d < dim; d++) {
                sum += e[i * dim + d];
            }
            j[i] = Math.floorMod((int) (Math.abs(sum) * directions), directions);
        }
        return j;
    }

    private static double clipTheta(double t) {
        return Math.max(1e-6, Math.min(Math.PI - 1e-6, t));
    }
}
