package dev.blt.patching;

import dev.blt.model.ModelWeights;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The threshold a run patches with and where it came from, decided in one place for every front end
 * ({@code entropy}, {@code ingest}, {@code pipeline}, {@code spark-ingest}): {@code --threshold} if given, else
 * {@code --target-patch-size} calibrated on the input's first documents, else the model's recommended threshold,
 * else the released model's default.
 *
 * @param source what the run's metadata records as its origin
 */
public record ThresholdChoice(double threshold, String source) implements Serializable {
    public static final String GIVEN = "--threshold";
    public static final String FROM_MODEL = "model metadata " + ModelWeights.RECOMMENDED_THRESHOLD_KEY;
    public static final String DEFAULT = "default (the released model's)";
    public static final int DEFAULT_CALIBRATION_DOCUMENTS = 32;

    /** Help texts, shared by every command that takes the options. */
    public static final String THRESHOLD_HELP = "Entropy threshold in nats for a patch start (strict >). Default: the "
            + "model's recommended threshold (metadata " + ModelWeights.RECOMMENDED_THRESHOLD_KEY + ") if it has one, "
            + "else 1.335442066192627 (the released model's)";
    public static final String TARGET_HELP = "Find the global threshold that gives a mean patch of N bytes on the "
            + "first --calibration-documents documents of the input and use it for the whole run (not with "
            + "--threshold; the plain rule only: not with --monotonicity, --threshold-add, --max-patch-length)";
    public static final String CALIBRATION_HELP = "Documents --target-patch-size calibrates on (default "
            + DEFAULT_CALIBRATION_DOCUMENTS + ")";

    /** The options as given; null where not given. Invalid combinations are {@link IllegalArgumentException}s. */
    public record Request(Double threshold, Double targetPatchSize, Integer calibrationDocuments)
            implements Serializable {
        public static final Request NONE = new Request(null, null, null);

        public Request {
            if (threshold != null && targetPatchSize != null) {
                throw new IllegalArgumentException("--threshold and --target-patch-size: choose one (a threshold, or "
                        + "the mean patch length to calibrate one for)");
            }
            if (targetPatchSize != null && !(targetPatchSize > 1)) {
                throw new IllegalArgumentException("--target-patch-size: must be more than 1 byte, got "
                        + targetPatchSize);
            }
            if (calibrationDocuments != null && calibrationDocuments < 1) {
                throw new IllegalArgumentException("--calibration-documents: must be at least 1, got "
                        + calibrationDocuments);
            }
        }

        public boolean calibrates() {
            return targetPatchSize != null;
        }

        public int documents() {
            return calibrationDocuments == null ? DEFAULT_CALIBRATION_DOCUMENTS : calibrationDocuments;
        }

        /** The source a calibration on {@code sample} (e.g. "the first 32 documents") records. */
        public String calibrationSource(String sample) {
            return "--target-patch-size " + targetPatchSize + " on " + sample;
        }
    }

    /** The entropies a calibration runs on, computed only when it does. */
    @FunctionalInterface
    public interface Sample {
        List<float[]> entropies() throws IOException;
    }

    /**
     * Decides the threshold for {@code r}.
     *
     * @param rule        the run's other patching options (a calibration supports the plain rule only)
     * @param weights     the model's weights (file or folder), for its recommended threshold
     * @param sampleName  what {@code sample} is, for the recorded source
     * @param log         one line saying the choice
     */
    public static ThresholdChoice choose(Request r, PatchOptions rule, Path weights, String sampleName, Sample sample,
                                         Consumer<String> log) throws IOException {
        ThresholdChoice c;
        if (r.threshold() != null) {
            c = new ThresholdChoice(r.threshold(), GIVEN);
        } else if (r.calibrates()) {
            ThresholdCalibration.Result cal = ThresholdCalibration.calibrate(sample.entropies(), r.targetPatchSize(),
                    rule);
            c = new ThresholdChoice(cal.threshold(), r.calibrationSource(sampleName));
            log.accept(String.format(Locale.ROOT, "threshold %s from %s: mean patch %.3f bytes (%d patches over %d "
                    + "positions of %d documents)", (float) c.threshold(), c.source(), cal.meanPatch(), cal.patches(),
                    cal.positions(), cal.documents()));
            return c;
        } else {
            Float recommended = ModelWeights.recommendedThreshold(weights);
            c = recommended != null ? new ThresholdChoice(recommended, FROM_MODEL)
                    : new ThresholdChoice(PatchOptions.DEFAULT_THRESHOLD, DEFAULT);
        }
        log.accept("threshold " + c.threshold() + ", from " + c.source());
        return c;
    }

    public PatchOptions applyTo(PatchOptions o) {
        return o.withThreshold(threshold);
    }
}
