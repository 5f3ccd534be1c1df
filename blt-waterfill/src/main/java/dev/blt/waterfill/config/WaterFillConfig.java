package dev.blt.waterfill.config;

/**
 * Everything a water-filling run needs. Load it with {@link ConfigFiles}; keys are the snake_case of the component
 * names, and every key left out takes the value of {@link #defaults()}.
 *
 * @param algorithm          which placement algorithm runs
 * @param level              token or patch arrays of an ingest file
 * @param targetShells       number of shells S
 * @param minRadius          radius of the innermost shell (the "hollow core": nothing is placed inside it)
 * @param maxRadius          radius of the outermost shell
 * @param capacityExponent   α: a shell of radius R holds a share ∝ R^α of the points (2 = proportional to the
 *                           shell's surface in 3-D; 1.5 is the originals' value)
 * @param shellSpacing       how the exact algorithm spaces the radii
 * @param orientation        whether high scores go outward or inward
 * @param radiusPlacement    exact algorithm: shell radius or interpolated by rank within the shell's band
 * @param entropyMode        whether and how entropies change the ranking score
 * @param entropyTemperature T of the {@code penalize} mode, score = p·exp(-H/T)
 * @param seed               seeds the one random generator of a run (and the 3-D projection)
 * @param compress           deflate the output .npz entries (smaller, much slower to write)
 * @param langevin           settings of the Langevin algorithm
 * @param legacy             settings only the legacy algorithms use
 */
public record WaterFillConfig(Algorithm algorithm, InputLevel level, int targetShells, double minRadius, double maxRadius,
                              double capacityExponent, ShellSpacing shellSpacing, Orientation orientation,
                              RadiusPlacement radiusPlacement, EntropyMode entropyMode, double entropyTemperature,
                              long seed, boolean compress, LangevinConfig langevin, LegacyConfig legacy) {

    public static WaterFillConfig defaults() {
        return new WaterFillConfig(Algorithm.EXACT, InputLevel.TOKEN, 256, 32, 512, 1.5, ShellSpacing.SQRT,
                Orientation.PROMINENT_OUTWARD, RadiusPlacement.INTERPOLATED, EntropyMode.NONE, 1.0, 42, false,
                LangevinConfig.defaults(), LegacyConfig.defaults());
    }

    public WaterFillConfig {
        Checks.notNull("algorithm", algorithm);
        Checks.notNull("level", level);
        Checks.notNull("shell_spacing", shellSpacing);
        Checks.notNull("orientation", orientation);
        Checks.notNull("radius_placement", radiusPlacement);
        Checks.notNull("entropy_mode", entropyMode);
        Checks.notNull("langevin", langevin);
        Checks.notNull("legacy", legacy);
        Checks.atLeast("target_shells", targetShells, 1);
        Checks.atLeast("min_radius", minRadius, 0);
        Checks.atLeast("capacity_exponent", capacityExponent, 0);
        Checks.positive("entropy_temperature", entropyTemperature);
        if (!(maxRadius > minRadius) || Double.isInfinite(maxRadius)) {
            throw new IllegalArgumentException("max_radius must be finite and greater than min_radius ("
                    + minRadius + "), got " + maxRadius);
        }
    }

    public double span() {
        return maxRadius - minRadius;
    }
}
