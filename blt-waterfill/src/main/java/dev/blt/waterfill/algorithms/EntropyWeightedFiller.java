package dev.blt.waterfill.algorithms;

import dev.blt.waterfill.config.WaterFillConfig;
import dev.blt.waterfill.core.Placement;
import dev.blt.waterfill.core.PointSet;
import dev.blt.waterfill.core.WaterFiller;

import java.util.LinkedHashMap;

/**
 * Legacy: the script's entropy-weighted allocation ("Orch-OR", spec §5): alloc = p²·exp(−H/T) (float32),
 * a = alloc/max alloc, w = softmax(a), r = clip(min + w·span·N, min, max), shell from n equal bands.
 * The radii therefore lie in [min + span/e, max], most at max. Where the original silently produced NaN radii
 * (every alloc underflows to 0, as with the default T = 1e-5 and typical entropies), this throws instead.
 * Uses the file's prominence and entropies, target_shells (the original: 256), min/max_radius and
 * legacy.entropy_temperature.
 */
public final class EntropyWeightedFiller implements WaterFiller {
    private final WaterFillConfig config;

    public EntropyWeightedFiller(WaterFillConfig config) {
        this.config = config;
    }

    @Override
    public Placement place(PointSet points) {
        if (!points.hasEntropies()) {
            throw new IllegalArgumentException(points.source() + ": algorithm 'entropy-weighted' needs entropies, but the input has none");
        }
        double min = config.minRadius();
        double span = config.span();
        int n = config.targetShells();
        float[] r = unclippedRadii(points, config.legacy().entropyTemperature(), min, span);
        int[] shells = new int[r.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = (float) Math.max(min, Math.min(config.maxRadius(), r[i]));
            int above = 0;
            for (int j = 0; j <= n; j++) {
                if (min + j * span / n < r[i]) {
                    above++;
                }
            }
            shells[i] = Math.max(0, Math.min(n - 1, above - 1));
        }
        return new Placement(r, shells, null, null, null, new LinkedHashMap<>());
    }

    /** min + softmax(a)·span·N before clipping; their mean is exactly max_radius (in exact arithmetic). */
    static float[] unclippedRadii(PointSet points, double temperature, double min, double span) {
        int count = points.n();
        float[] p = points.prominence();
        float[] h = points.entropies();
        float[] alloc = new float[count];
        float maxAlloc = 0;
        for (int i = 0; i < count; i++) {
            alloc[i] = p[i] * p[i] * (float) Math.exp(-h[i] / temperature);
            maxAlloc = Math.max(maxAlloc, alloc[i]);
        }
        if (count > 0 && !(maxAlloc > 0)) {
            throw new IllegalArgumentException(points.source() + ": entropy temperature " + temperature
                    + " is too small for these entropies: exp(-H/T) underflows to 0 for every point (the original "
                    + "produced NaN radii here); raise legacy.entropy_temperature");
        }
        // softmax of a ∈ [0, 1], shifted by its max (1) for stability, as jax.nn.softmax does
        double sum = 0;
        float[] e = new float[count];
        for (int i = 0; i < count; i++) {
            e[i] = (float) Math.exp(alloc[i] / maxAlloc - 1f);
            sum += e[i];
        }
        float[] r = new float[count];
        for (int i = 0; i < count; i++) {
            r[i] = (float) (min + (e[i] / sum) * span * count);
        }
        return r;
    }
}
