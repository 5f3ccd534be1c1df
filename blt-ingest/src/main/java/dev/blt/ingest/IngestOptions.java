package dev.blt.ingest;

import dev.blt.data.dataset.SourceOptions;
import dev.blt.data.pretokenize.Modality;
import dev.blt.data.tensors.DType;
import dev.blt.model.Precision;
import dev.blt.model.SequenceScorer;
import dev.blt.patching.PatchOptions;
import dev.blt.patching.ThresholdCalibration;
import dev.blt.patching.ThresholdChoice;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Validated ingest options with defaults filled in.
 *
 * @param patching    the patching options, with the threshold given or the default; a run patches with the one
 *                    {@link IngestThreshold} chooses for {@code threshold}
 * @param threshold   how to choose the threshold
 * @param weights     null: the default model ({@code weights/default.safetensors})
 * @param modelConfig null: the config stored in the weights' metadata
 * @param modality    null: detect each document's
 * @param textColumn  null: {@code text}, else {@code content} (upstream's rule)
 * @param idColumn    null: upstream's {@code sample_id} rule, else file + row
 * @param limit       null: every document
 * @param chunk       null: the model's defaults ({@code SequenceScorer.chunkFor})
 * @param streams     threads scoring separate documents of a batch at once
 * @param partBytes   longer documents are ingested in parts of at most this many bytes
 * @param maxDocumentBytes larger records, and larger files that are not text, are refused
 * @param overwrite   replace an earlier run's outputs in {@code output}
 * @param progress    progress lines also when stderr is not a terminal
 * @param precision   the forward pass's arithmetic (float32 unless bf16 is asked for, where the CPU has it)
 */
public record IngestOptions(List<String> inputs, Path output, Path weights, Path modelConfig, PatchOptions patching,
                            ThresholdChoice.Request threshold,
                            Modality modality, String textColumn, String idColumn, Long limit, int shardIndex,
                            int shardCount, boolean resume, DType dtype, int batch, Integer chunk,
                            boolean arrowEntropies, boolean quiet, int streams, int partBytes,
                            int maxDocumentBytes, boolean overwrite, boolean progress, Precision precision) {
    /** Default part size: far past the model's window, small enough that a part's bookkeeping is a few MB. */
    public static final int DEFAULT_PART_BYTES = 1 << 20;
    /** Default largest record, and largest non-text file, read whole. */
    public static final int DEFAULT_MAX_DOCUMENT_BYTES = 64 << 20;

    private static final Pattern SHARD = Pattern.compile("(\\d+)/(\\d+)");

    /** Checks and completes {@code s}; a problem is an {@link IllegalArgumentException} naming the option. */
    public static IngestOptions of(IngestSettings s) {
        if (s.input() == null || s.input().isEmpty()) {
            throw new IllegalArgumentException("--input: at least one file, directory or glob is required");
        }
        if (s.output() == null || s.output().isBlank()) {
            throw new IllegalArgumentException("--output: an output directory is required");
        }
        PatchOptions patching = new PatchOptions(
                s.threshold() == null ? PatchOptions.DEFAULT_THRESHOLD : s.threshold(), s.thresholdAdd(),
                Boolean.TRUE.equals(s.monotonicity()), s.maxPatchLength(), false);
        ThresholdChoice.Request threshold = new ThresholdChoice.Request(s.threshold(), s.targetPatchSize(),
                s.calibrationDocuments());
        if (threshold.calibrates()) {
            ThresholdCalibration.requirePlainRule(patching);
        }
        int shardIndex = 0;
        int shardCount = 1;
        if (s.shard() != null) {
            Matcher m = SHARD.matcher(s.shard().trim());
            if (!m.matches()) {
                throw new IllegalArgumentException("--shard: expected i/n such as 0/4, got '" + s.shard() + "'");
            }
            shardIndex = Integer.parseInt(m.group(1));
            shardCount = Integer.parseInt(m.group(2));
            if (shardCount < 1 || shardIndex >= shardCount) {
                throw new IllegalArgumentException("--shard: need 0 <= i < n, got " + s.shard());
            }
        }
        if (s.limit() != null && s.limit() < 0) {
            throw new IllegalArgumentException("--limit: must not be negative, got " + s.limit());
        }
        int batch = s.batch() == null ? 8 : s.batch();
        if (batch < 1) {
            throw new IllegalArgumentException("--batch: must be at least 1, got " + batch);
        }
        if (s.chunk() != null && s.chunk() < 1) {
            throw new IllegalArgumentException("--chunk: must be at least 1, got " + s.chunk());
        }
        int streams = s.streams() == null ? SequenceScorer.defaultStreams() : s.streams();
        if (streams < 1) {
            throw new IllegalArgumentException("--streams: must be at least 1, got " + streams);
        }
        int partBytes = s.partBytes() == null ? DEFAULT_PART_BYTES : s.partBytes();
        if (partBytes < 4096) {
            throw new IllegalArgumentException("--part-bytes: must be at least 4096, got " + partBytes);
        }
        long maxDocument = s.maxDocumentBytes() == null ? DEFAULT_MAX_DOCUMENT_BYTES : s.maxDocumentBytes();
        if (maxDocument < 1 || maxDocument > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("--max-document-bytes: must be between 1 and " + (Integer.MAX_VALUE - 8)
                    + ", got " + maxDocument);
        }
        if (Boolean.TRUE.equals(s.resume()) && Boolean.TRUE.equals(s.overwrite())) {
            throw new IllegalArgumentException("--resume and --overwrite: choose one (finish the earlier run, or replace it)");
        }
        return new IngestOptions(List.copyOf(s.input()), Path.of(s.output()), path(s.weights()),
                path(s.modelConfig()), patching, threshold, Segmenter.parse(s.modality()),
                s.textColumn(), s.idColumn(), s.limit(), shardIndex, shardCount, Boolean.TRUE.equals(s.resume()),
                dtype(s.dtype()), batch, s.chunk(), Boolean.TRUE.equals(s.arrowEntropies()),
                Boolean.TRUE.equals(s.quiet()), streams, partBytes, (int) maxDocument,
                Boolean.TRUE.equals(s.overwrite()), Boolean.TRUE.equals(s.progress()), precision(s.precision()));
    }

    /** Float32 unless asked otherwise; float64 is a reference mode for single documents, not for ingest runs. */
    private static Precision precision(String p) {
        if (p == null) {
            return Precision.FLOAT32;
        }
        Precision precision;
        try {
            precision = Precision.parse(p.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--precision: must be float32 or bf16, not '" + p + "'");
        }
        if (precision == Precision.FLOAT64) {
            throw new IllegalArgumentException("--precision: must be float32 or bf16, not '" + p
                    + "' (float64 is for ./blt entropy)");
        }
        try {
            precision.requireSupported();
        } catch (UnsupportedOperationException e) {
            throw new IllegalArgumentException("--precision: " + e.getMessage() + "; use --precision float32");
        }
        return precision;
    }

    private static Path path(String p) {
        return p == null ? null : Path.of(p);
    }

    /**
     * BF16 unless asked otherwise: embeddings are most of an ingest's output, and their use (nearest neighbours,
     * placement on a sphere) needs no more than bf16's three digits; prominence, entropies and patch means are
     * computed in float32 either way.
     */
    private static DType dtype(String d) {
        if (d == null) {
            return DType.BF16;
        }
        switch (d.trim().toLowerCase(Locale.ROOT)) {
            case "f32":
                return DType.F32;
            case "bf16":
                return DType.BF16;
            case "f16":
                return DType.F16;
            default:
                throw new IllegalArgumentException("--dtype: expected f32, bf16 or f16, got '" + d + "'");
        }
    }

    /** {@code auto} or the forced modality's name. */
    public String modalityName() {
        return modality == null ? "auto" : modality.id();
    }

    /** How the inputs are read: the text and id columns; everything else as {@link SourceOptions#defaults()}. */
    public SourceOptions sourceOptions() {
        return SourceOptions.defaults().withTextField(textColumn).withIdField(idColumn).withPartBytes(partBytes)
                .withMaxDocumentBytes(maxDocumentBytes);
    }

    /** Suffix of this run's bookkeeping files: empty, or {@code .shard-i-of-n} so shards can share a directory. */
    public String shardSuffix() {
        return shardCount == 1 ? "" : ".shard-" + shardIndex + "-of-" + shardCount;
    }
}
