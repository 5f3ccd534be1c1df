package dev.blt.patching;

/**
 * Upstream's entropy patches of one row found position by position, as the entropies arrive: the patches
 * {@link EntropyPatcher#patches} returns for the whole row (without the next-token position), so that a consumer can
 * sum each patch while the row is still being scored. Whether position p starts a patch depends only on the
 * entropies at p - 1 and p - 2 (upstream's mask entry k = p - 2), then on the running length for
 * {@code max_patch_length}.
 */
public final class PatchStream {
    private final PatchOptions o;
    private final float threshold;
    private long position;
    private long length;
    private float previous;
    private float beforePrevious;

    public PatchStream(PatchOptions options) {
        if (options.includeNextToken()) {
            throw new IllegalArgumentException("a streamed row has no next-token position to patch");
        }
        this.o = options;
        this.threshold = (float) options.threshold();
    }

    /** Takes the entropy of the next position and says whether that position starts a patch. */
    public boolean startsPatch(float entropy) {
        long p = position++;
        boolean start = p <= 1 || selected(p - 2, previous, beforePrevious);
        if (!start && o.maxPatchLength() != null && length == o.maxPatchLength()) {
            start = true;
        }
        length = start ? 1 : length + 1;
        beforePrevious = previous;
        previous = entropy;
        return start;
    }

    /** Upstream's mask entry k: {@code e} is the entropy at k + 1, {@code before} the one at k. */
    private boolean selected(long k, float e, float before) {
        if (o.monotonicity()) {
            return k == 0 || e - before > threshold;
        }
        if (o.thresholdAdd() != null) {
            return k == 0 || (k > 1 && e - before > o.thresholdAdd().floatValue() && e > threshold);
        }
        return e > threshold;
    }
}
