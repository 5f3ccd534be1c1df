package dev.blt.cli;

import com.beust.jcommander.Parameter;
import dev.blt.patching.PatchOptions;

/** The patcher's options on the command line (upstream defaults). */
public final class PatchingOptions {
    @Parameter(names = "--threshold", description = "Entropy threshold in nats (strict >)")
    public double threshold = PatchOptions.DEFAULT_THRESHOLD;

    @Parameter(names = "--monotonicity", description = "Start patches where the entropy rises by more than the threshold")
    public boolean monotonicity;

    @Parameter(names = "--threshold-add", description = "Also require an entropy rise above this (global+monotonicity rule)")
    public Double thresholdAdd;

    @Parameter(names = "--max-patch-length", description = "Split patches longer than this")
    public Integer maxPatchLength;

    @Parameter(names = "--include-next-token", description = "Let the last entropy start a patch at the unseen next byte")
    public boolean includeNextToken;

    public PatchOptions toOptions() {
        try {
            return new PatchOptions(threshold, thresholdAdd, monotonicity, maxPatchLength, includeNextToken);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        }
    }
}
