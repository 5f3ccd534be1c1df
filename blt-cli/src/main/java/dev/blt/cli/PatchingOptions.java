package dev.blt.cli;

import com.beust.jcommander.Parameter;
import dev.blt.patching.PatchOptions;
import dev.blt.patching.ThresholdCalibration;
import dev.blt.patching.ThresholdChoice;

/** The patcher's options on the command line (upstream defaults). */
public final class PatchingOptions {
    @Parameter(names = "--threshold", description = ThresholdChoice.THRESHOLD_HELP)
    public Double threshold;

    @Parameter(names = "--target-patch-size", description = "Find the global threshold that gives a mean patch of N "
            + "bytes on this input and use it (not with --threshold; the plain rule only: not with --monotonicity, "
            + "--threshold-add, --max-patch-length)")
    public Double targetPatchSize;

    @Parameter(names = "--monotonicity", description = "Start patches where the entropy rises by more than the threshold")
    public boolean monotonicity;

    @Parameter(names = "--threshold-add", description = "Also require an entropy rise above this (global+monotonicity rule)")
    public Double thresholdAdd;

    @Parameter(names = "--max-patch-length", description = "Split patches longer than this")
    public Integer maxPatchLength;

    @Parameter(names = "--include-next-token", description = "Let the last entropy start a patch at the unseen next byte")
    public boolean includeNextToken;

    /** The options with the threshold given, else the default; {@link #request} says how to choose the real one. */
    public PatchOptions toOptions() {
        try {
            PatchOptions o = new PatchOptions(threshold != null ? threshold : PatchOptions.DEFAULT_THRESHOLD,
                    thresholdAdd, monotonicity, maxPatchLength, includeNextToken);
            if (request().calibrates()) {
                ThresholdCalibration.requirePlainRule(o);
            }
            return o;
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        }
    }

    public ThresholdChoice.Request request() {
        try {
            return new ThresholdChoice.Request(threshold, targetPatchSize, null);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        }
    }
}
