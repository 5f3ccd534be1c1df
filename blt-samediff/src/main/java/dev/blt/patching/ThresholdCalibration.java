package dev.blt.patching;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The global threshold that gives a target mean patch length on given documents, under the patcher's plain rule
 * ({@link EntropyPatcher}: no monotonicity, no threshold_add, no max_patch_length).
 *
 * <p>It is exact, not searched: a row of S entropies starts a patch at its first two positions (the first alone when
 * S + next token is 1) and after every position i in {@code 1 .. S-2} (to {@code S-1} with the next token) whose
 * entropy exceeds the threshold. So the patch count is those fixed starts plus the count of such entropies above t, a
 * step function of t; the best step is picked and t is put just below the next larger entropy, so that the strict
 * float32 {@code >} reproduces the count exactly.
 */
public final class ThresholdCalibration {
    private ThresholdCalibration() {
    }

    /**
     * @param threshold  float32 value to patch with
     * @param meanPatch  the mean patch length (positions / patches) it gives on the documents
     * @param documents  non-empty documents calibrated on
     */
    public record Result(double threshold, double meanPatch, int documents, long positions, long patches) {
    }

    /** Refuses the rules a calibration does not model: their patch counts are not a count of entropies above t. */
    public static void requirePlainRule(PatchOptions rule) {
        if (rule.monotonicity() || rule.thresholdAdd() != null || rule.maxPatchLength() != null) {
            throw new IllegalArgumentException("--target-patch-size calibrates the plain threshold rule: it cannot "
                    + "be combined with --monotonicity, --threshold-add or --max-patch-length");
        }
    }

    /**
     * The threshold whose mean patch length on {@code entropies} (one array per document, as the patcher sees it)
     * is closest to {@code target}, for {@code rule}'s other options ({@code includeNextToken}; its threshold is
     * ignored). Throws {@link IllegalArgumentException} when the target cannot be reached on these documents.
     */
    public static Result calibrate(List<float[]> entropies, double target, PatchOptions rule) {
        if (!(target > 1)) {
            throw new IllegalArgumentException("target patch size must be more than 1 byte, got " + target);
        }
        requirePlainRule(rule);
        int next = rule.includeNextToken() ? 1 : 0;
        long positions = 0;
        long fixed = 0;
        int documents = 0;
        List<Float> found = new ArrayList<>();
        for (float[] e : entropies) {
            if (e.length == 0) {
                continue;
            }
            documents++;
            positions += e.length + next;
            fixed += Math.min(e.length + next, 2);
            for (int i = 1; i <= e.length - 2 + next; i++) {
                if (!Float.isNaN(e[i])) {
                    found.add(e[i]);
                }
            }
        }
        if (documents == 0) {
            throw new IllegalArgumentException("no positions to calibrate a threshold on: the documents are empty");
        }
        float[] c = new float[found.size()];
        for (int i = 0; i < c.length; i++) {
            c[i] = found.get(i);
        }
        Arrays.sort(c);
        double longest = (double) positions / fixed;
        double shortest = (double) positions / (fixed + c.length);
        if (target > longest || target < shortest) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "a mean patch of %s bytes cannot be reached "
                    + "on %d documents of %d positions in all: every threshold gives between %.3f and %.3f (each "
                    + "document's first positions always start patches); calibrate on more or longer documents",
                    target, documents, positions, shortest, longest));
        }
        // above = candidates above t; t = c[i-1]'s successor .. c[i] leaves c.length - i of them (i at a run's start)
        long bestAbove = 0;
        float bestT = c.length == 0 ? 0f : c[c.length - 1];
        double bestGap = Math.abs(longest - target);
        for (int i = 0; i < c.length; i++) {
            if (i > 0 && c[i] == c[i - 1]) {
                continue;
            }
            long above = c.length - i;
            double gap = Math.abs((double) positions / (fixed + above) - target);
            if (gap < bestGap) {
                bestGap = gap;
                bestAbove = above;
                bestT = Math.nextDown(c[i]);
            }
        }
        long patches = fixed + bestAbove;
        return new Result(bestT, (double) positions / patches, documents, positions, patches);
    }
}
