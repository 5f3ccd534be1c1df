package dev.blt.waterfill.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Where high scores go. The Python scripts and docs put prominent points in the outer shells; the later Rust code
 * (blt-burn 48aac71, thrml-sphere) puts them at the core.
 */
public enum Orientation implements Choice {
    PROMINENT_OUTWARD("prominent-outward"),
    PROMINENT_INWARD("prominent-inward");

    private final String id;

    Orientation(String id) {
        this.id = id;
    }

    @JsonValue
    @Override
    public String id() {
        return id;
    }

    @JsonCreator
    public static Orientation parse(String text) {
        return Choice.parse(Orientation.class, text);
    }
}
