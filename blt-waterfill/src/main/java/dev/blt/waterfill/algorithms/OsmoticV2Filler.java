package dev.blt.waterfill.algorithms;

import dev.blt.waterfill.config.WaterFillConfig;
import dev.blt.waterfill.core.Placement;
import dev.blt.waterfill.core.PointSet;
import dev.blt.waterfill.core.ShellTable;
import dev.blt.waterfill.core.WaterFiller;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Legacy: blt-burn 3563321 "Hollow Core + Infinite Crust" {@code osmotic_water_filling} (spec §3). Linear initial
 * shells from the norm range (float32, so the largest norm reaches the top shell), R_k = min_radius + k^1.2·2M/n^1.2
 * (no max_radius: the crust scales with the largest norm M), capacities ∝ R_k², then the osmotic loop.
 * Uses target_shells (the original: 256), min_radius and legacy.max_iters.
 */
public final class OsmoticV2Filler implements WaterFiller {
    private final WaterFillConfig config;

    public OsmoticV2Filler(WaterFillConfig config) {
        this.config = config;
    }

    @Override
    public Placement place(PointSet points) {
        int n = config.targetShells();
        float[] p = LegacyNorms.norms(points);
        double[] r = radiusTable(n, config.minRadius(), p.length == 0 ? 0 : LegacyNorms.max(p));
        double[] capacity = ShellTable.proportional(r, p.length, 2.0);
        int[] shells = initialShells(p, n);
        OsmoticLoop.Outcome o = OsmoticLoop.run(shells, OsmoticLoop.outliers(p), capacity,
                config.legacy().maxIters(), new SplittableRandom(config.seed()));
        float[] radii = new float[p.length];
        for (int i = 0; i < radii.length; i++) {
            radii[i] = (float) r[shells[i]];
        }
        Map<String, Number> info = new LinkedHashMap<>();
        info.put("iterations", o.iterations());
        return new Placement(radii, shells, null, null, capacity, info);
    }

    static double[] radiusTable(int n, double minRadius, double maxNorm) {
        double scale = 2 * maxNorm / Math.pow(n, 1.2);
        double[] r = new double[n];
        for (int k = 0; k < n; k++) {
            r[k] = minRadius + Math.pow(k, 1.2) * scale;
        }
        return r;
    }

    /** shell = clip(floor((p − m)/(M − m + 1e-6)·(n−1)), 0, n−1), in float32 arithmetic as JAX. */
    static int[] initialShells(float[] p, int n) {
        int[] shells = new int[p.length];
        if (p.length == 0) {
            return shells;
        }
        float m = LegacyNorms.min(p);
        float range = LegacyNorms.max(p) - m + 1e-6f;
        for (int i = 0; i < p.length; i++) {
            float u = (p[i] - m) / range;
            shells[i] = Math.max(0, Math.min(n - 1, (int) Math.floor(u * (n - 1))));
        }
        return shells;
    }
}
