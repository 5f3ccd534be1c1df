package dev.blt.waterfill.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Where inside its shell the exact algorithm puts a point. */
public enum RadiusPlacement implements Choice {
    /** Every point of shell k gets R_k. */
    SHELL("shell"),
    /** Points are spread by rank across the shell's band (midpoints to the neighbouring radii), so radius is strictly monotone in rank. */
    INTERPOLATED("interpolated");

    private final String id;

    RadiusPlacement(String id) {
        this.id = id;
    }

    @JsonValue
    @Override
    public String id() {
        return id;
    }

    @JsonCreator
    public static RadiusPlacement parse(String text) {
        return Choice.parse(RadiusPlacement.class, text);
    }
}
