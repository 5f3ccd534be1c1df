package dev.blt.waterfill.algorithms;

import dev.blt.waterfill.config.WaterFillConfig;
import dev.blt.waterfill.core.Placement;
import dev.blt.waterfill.core.PointSet;
import dev.blt.waterfill.core.WaterFiller;

import java.util.LinkedHashMap;

/**
 * Legacy: the script's "thrml" method (spec §4), which never used THRML. Shell = argmax_k of the normalized
 * exp(−|E − s_k|/T) with E = ||e|| and s_k = √k + k^1.5, i.e. the nearest shell energy; in float32 every weight
 * underflows once the nearest energy is ~104·T away, and argmax of all zeros is shell 0 (the original's bug: huge
 * norms land at the centre). radius = (√s + s^1.5)/(√n + n^1.5). Uses target_shells (the original: 128) and
 * legacy.energy_temperature.
 */
public final class EnergyLookupFiller implements WaterFiller {
    private final WaterFillConfig config;

    public EnergyLookupFiller(WaterFillConfig config) {
        this.config = config;
    }

    @Override
    public Placement place(PointSet points) {
        int n = config.targetShells();
        float temperature = (float) config.legacy().energyTemperature();
        float[] energy = LegacyNorms.norms(points);
        float[] level = new float[n];
        for (int k = 0; k < n; k++) {
            level[k] = (float) (Math.sqrt(k) + Math.pow(k, 1.5));
        }
        double top = Math.sqrt(n) + Math.pow(n, 1.5);
        float[] w = new float[n];
        float[] radii = new float[energy.length];
        int[] shells = new int[energy.length];
        for (int i = 0; i < energy.length; i++) {
            float sum = 0;
            for (int k = 0; k < n; k++) {
                w[k] = (float) Math.exp(-Math.abs(energy[i] - level[k]) / temperature);
                sum += w[k];
            }
            float norm = sum + 1e-8f;
            int best = 0;
            float bestP = w[0] / norm;
            for (int k = 1; k < n; k++) {
                float pk = w[k] / norm;
                if (pk > bestP) {
                    best = k;
                    bestP = pk;
                }
            }
            shells[i] = best;
            radii[i] = (float) ((Math.sqrt(best) + Math.pow(best, 1.5)) / top);
        }
        return new Placement(radii, shells, null, null, null, new LinkedHashMap<>());
    }
}
