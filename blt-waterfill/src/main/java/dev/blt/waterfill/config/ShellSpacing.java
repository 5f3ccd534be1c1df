package dev.blt.waterfill.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How the exact algorithm spaces its shell radii between min_radius and max_radius. */
public enum ShellSpacing implements Choice {
    /** R_k = min + span·k/(S-1): equal gaps. */
    LINEAR("linear"),
    /** R_k = min + span·sqrt(k/(S-1)): gaps shrink outward, as TheSphere's optimizer. */
    SQRT("sqrt");

    private final String id;

    ShellSpacing(String id) {
        this.id = id;
    }

    @JsonValue
    @Override
    public String id() {
        return id;
    }

    @JsonCreator
    public static ShellSpacing parse(String text) {
        return Choice.parse(ShellSpacing.class, text);
    }
}
