package dev.blt.waterfill.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The placement algorithms; {@link #EXACT} is the default, the {@code legacy} ones reproduce the originals. */
public enum Algorithm implements Choice {
    /** Exact-capacity water-filling: rank by score, fill shells to integer capacities ∝ R^α. */
    EXACT("exact", false),
    /** blt-burn 4a7254f osmotic loop (spec §2). */
    OSMOTIC_V1("osmotic-v1", true),
    /** blt-burn 3563321 "hollow core" osmotic loop (spec §3). */
    OSMOTIC_V2("osmotic-v2", true),
    /** The script's "thrml" method: nearest shell energy (spec §4). */
    ENERGY_LOOKUP("energy-lookup", true),
    /** The script's entropy-weighted softmax allocation (spec §5). */
    ENTROPY_WEIGHTED("entropy-weighted", true),
    /** TheSphere's LateralWaterFillingOptimizerJIT (spec §6). */
    LATERAL("lateral", true),
    /** Overdamped Langevin relaxation with a sparse kNN similarity term (spec §7). */
    LANGEVIN("langevin", false);

    private final String id;
    private final boolean legacy;

    Algorithm(String id, boolean legacy) {
        this.id = id;
        this.legacy = legacy;
    }

    @JsonValue
    @Override
    public String id() {
        return id;
    }

    public boolean legacy() {
        return legacy;
    }

    @JsonCreator
    public static Algorithm parse(String text) {
        return Choice.parse(Algorithm.class, text);
    }
}
