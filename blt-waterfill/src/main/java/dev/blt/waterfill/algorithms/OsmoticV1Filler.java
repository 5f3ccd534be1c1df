package dev.blt.waterfill.algorithms;

import dev.blt.waterfill.config.WaterFillConfig;
import dev.blt.waterfill.core.Placement;
import dev.blt.waterfill.core.PointSet;
import dev.blt.waterfill.core.ShellTable;
import dev.blt.waterfill.core.WaterFiller;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Legacy: blt-burn 4a7254f {@code osmotic_water_filling} (spec §2). Quantile initial shells, normalized radii
 * b_k = (√k + k^1.5)/(√(n−1) + (n−1)^1.5) in [0, 1] (shell 0 has radius 0: no hollow core), capacities ∝ b_k^1.5.
 * Uses target_shells (the original: 128) and legacy.max_iters; ignores the file's prominence, as the original.
 */
public final class OsmoticV1Filler implements WaterFiller {
    private final WaterFillConfig config;

    public OsmoticV1Filler(WaterFillConfig config) {
        this.config = config;
    }

    @Override
    public Placement place(PointSet points) {
        int n = config.targetShells();
        float[] p = LegacyNorms.norms(points);
        double[] b = radiusTable(n);
        double[] capacity = ShellTable.proportional(b, p.length, 1.5);
        int[] shells = initialShells(p, n);
        OsmoticLoop.Outcome o = OsmoticLoop.run(shells, OsmoticLoop.outliers(p), capacity,
                config.legacy().maxIters(), new SplittableRandom(config.seed()));
        float[] radii = new float[p.length];
        for (int i = 0; i < radii.length; i++) {
            radii[i] = (float) b[shells[i]];
        }
        Map<String, Number> info = new LinkedHashMap<>();
        info.put("iterations", o.iterations());
        return new Placement(radii, shells, null, null, capacity, info);
    }

    static double[] radiusTable(int n) {
        double top = n == 1 ? 1 : Math.sqrt(n - 1) + Math.pow(n - 1, 1.5);
        double[] b = new double[n];
        for (int k = 0; k < n; k++) {
            b[k] = (Math.sqrt(k) + Math.pow(k, 1.5)) / top;
        }
        return b;
    }

    /** shell = clip(#{j : q_j < p}, 0, n−1) over the n+1 percentile edges q_j (linear interpolation). */
    static int[] initialShells(float[] p, int n) {
        float[] sorted = p.clone();
        Arrays.sort(sorted);
        double[] q = new double[n + 1];
        for (int j = 0; j <= n; j++) {
            double pos = (sorted.length - 1) * (double) j / n;
            int lo = (int) Math.floor(pos);
            int hi = Math.min(lo + 1, sorted.length - 1);
            q[j] = sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
        }
        int[] shells = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            int c = 0;
            while (c <= n && q[c] < p[i]) {
                c++;
            }
            shells[i] = Math.min(c, n - 1);
        }
        return shells;
    }
}
