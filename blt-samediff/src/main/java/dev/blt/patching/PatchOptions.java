package dev.blt.patching;

/**
 * Upstream's entropy patching options ({@code PatcherArgs} plus {@code include_next_token}).
 *
 * @param threshold        a patch starts after a position whose entropy exceeds it (strict {@code >}, in float32)
 * @param thresholdAdd     if set (and not monotonicity), also require the entropy rise to exceed it
 * @param monotonicity     use the entropy rise {@code e[k] - e[k-1]} instead of the entropy itself
 * @param maxPatchLength   if set, longer patches are split into pieces of at most this length
 * @param includeNextToken let the last entropy start a patch at position S (the byte not yet seen)
 */
public record PatchOptions(double threshold, Double thresholdAdd, boolean monotonicity, Integer maxPatchLength,
                           boolean includeNextToken) {
    /** Upstream {@code PatcherArgs.threshold}, exactly representable in float32. */
    public static final double DEFAULT_THRESHOLD = 1.335442066192627;

    public PatchOptions {
        if (Double.isNaN(threshold)) {
            throw new IllegalArgumentException("threshold must be a number");
        }
        if (maxPatchLength != null && maxPatchLength < 1) {
            throw new IllegalArgumentException("max patch length must be at least 1, got " + maxPatchLength);
        }
    }

    /** The data pipeline's setting: default threshold, no next token. */
    public static PatchOptions defaults() {
        return new PatchOptions(DEFAULT_THRESHOLD, null, false, null, false);
    }

    public PatchOptions withThreshold(double t) {
        return new PatchOptions(t, thresholdAdd, monotonicity, maxPatchLength, includeNextToken);
    }
}
