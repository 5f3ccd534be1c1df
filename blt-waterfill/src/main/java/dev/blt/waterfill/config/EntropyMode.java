package dev.blt.waterfill.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How entropies change the ranking score of the exact and Langevin algorithms.
 * The originals disagree (spec §14.14), so both directions are offered.
 */
public enum EntropyMode implements Choice {
    /** score = prominence. */
    NONE("none"),
    /** score = p·exp(-H/T): confident (low-entropy) points rank higher, as in the Python scripts. */
    PENALIZE("penalize"),
    /** score = p·(1 + max(H, 0)): uncertain points rank higher, as in the Rust code. */
    REWARD("reward");

    private final String id;

    EntropyMode(String id) {
        this.id = id;
    }

    @JsonValue
    @Override
    public String id() {
        return id;
    }

    @JsonCreator
    public static EntropyMode parse(String text) {
        return Choice.parse(EntropyMode.class, text);
    }
}
