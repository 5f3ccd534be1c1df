package dev.blt.waterfill.config;

/** Range checks for config values; messages name the YAML key. */
final class Checks {
    private Checks() {
    }

    static void atLeast(String key, double value, double min) {
        if (!(value >= min) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(key + " must be a finite number >= " + min + ", got " + value);
        }
    }

    static void positive(String key, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(key + " must be a finite number > 0, got " + value);
        }
    }

    static void notNull(String key, Object value) {
        if (value == null) {
            throw new IllegalArgumentException(key + " must be set");
        }
    }
}
