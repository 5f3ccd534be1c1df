package dev.blt.waterfill.config;

/**
 * Parameters that only the legacy algorithms use, with the originals' defaults. The legacy algorithms take their shell
 * count and radii from the main config; see {@code configs/waterfill.yaml} for the values the originals used.
 *
 * @param maxIters                 osmotic v1/v2: iterations of the promotion/demotion loop (always all of them, spec §14.2)
 * @param energyTemperature        energy-lookup: T of exp(-|E-s|/T); it changes nothing but float32 underflow (spec §4)
 * @param entropyTemperature       entropy-weighted: T of exp(-H/T); 1e-5 underflows for H above ~1e-3 (spec §5)
 * @param lateralMaxPasses         lateral: upper bound on passes
 * @param lateralOverflowThreshold lateral: promote when n_i - mean_shell > threshold·(sd_shell + 0.1)
 * @param lateralSearch            lateral: whether promoted points may take a lateral (angular) step instead
 * @param lateralDirections        lateral: number of harmonic directions
 */
public record LegacyConfig(int maxIters, double energyTemperature, double entropyTemperature, int lateralMaxPasses,
                           double lateralOverflowThreshold, boolean lateralSearch, int lateralDirections) {

    public static LegacyConfig defaults() {
        return new LegacyConfig(100, 1.0, 1e-5, 25, 1.0, true, 16);
    }

    public LegacyConfig {
        Checks.atLeast("legacy.max_iters", maxIters, 0);
        Checks.positive("legacy.energy_temperature", energyTemperature);
        Checks.positive("legacy.entropy_temperature", entropyTemperature);
        Checks.atLeast("legacy.lateral_max_passes", lateralMaxPasses, 0);
        Checks.atLeast("legacy.lateral_overflow_threshold", lateralOverflowThreshold, 0);
        Checks.atLeast("legacy.lateral_directions", lateralDirections, 1);
    }
}
