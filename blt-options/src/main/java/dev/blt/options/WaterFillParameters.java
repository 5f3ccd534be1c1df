package dev.blt.options;

import com.beust.jcommander.Parameter;
import dev.blt.waterfill.config.ConfigFiles;
import dev.blt.waterfill.config.WaterFillConfig;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The water-filling options every front end takes ({@code ./blt waterfill}, {@code ./blt spark-waterfill}),
 * declared once and mixed into each command with JCommander's {@code @ParametersDelegate}; they become a
 * {@link WaterFillConfig} through {@link ConfigFiles#configFrom} and {@link ConfigFiles#choices}.
 */
public final class WaterFillParameters {
    @Parameter(names = "--config", description = "YAML or JSON config (see configs/waterfill.yaml); options below override it")
    public String config;

    @Parameter(names = "--algorithm", description = "exact|osmotic-v1|osmotic-v2|energy-lookup|entropy-weighted|lateral|langevin")
    public String algorithm;

    @Parameter(names = "--level", description = "token|patch: which arrays of an ingest file")
    public String level;

    @Parameter(names = "--target-shells", description = "Number of shells")
    public Integer targetShells;

    @Parameter(names = "--capacity-exponent", description = "Shell capacity ∝ R^exponent")
    public Double capacityExponent;

    @Parameter(names = "--min-radius", description = "Innermost radius (hollow core)")
    public Double minRadius;

    @Parameter(names = "--max-radius", description = "Outermost radius")
    public Double maxRadius;

    @Parameter(names = "--seed", description = "Seed of the run's random generator")
    public Long seed;

    @Parameter(names = "--compress", description = "Deflate the .npz entries (smaller, slower)")
    public boolean compress;

    @Parameter(names = "--overwrite", arity = 0, description = "Replace the sphere files of an earlier run in the "
            + "output folder instead of refusing to write beside them")
    public boolean overwrite;

    /** This front end's config: {@code --config} (or the defaults) with every other option given laid over it. */
    public WaterFillConfig effectiveConfig() throws IOException {
        Map<String, Object> o = ConfigFiles.choices(algorithm, level);
        o.putAll(overrides());
        return ConfigFiles.configFrom(config, o);
    }

    /** The options given, other than --config, --algorithm and --level, as config keys (for {@link ConfigFiles#override}). */
    public Map<String, Object> overrides() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("target_shells", targetShells);
        o.put("capacity_exponent", capacityExponent);
        o.put("min_radius", minRadius);
        o.put("max_radius", maxRadius);
        o.put("seed", seed);
        o.put("compress", compress ? Boolean.TRUE : null);
        o.values().removeIf(java.util.Objects::isNull);
        return o;
    }
}
