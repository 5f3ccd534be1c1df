package dev.blt.options;

import com.beust.jcommander.Parameter;
import dev.blt.ingest.IngestSettings;
import dev.blt.model.SequenceScorer;
import dev.blt.model.WeightsLocator;
import dev.blt.patching.ThresholdChoice;

import java.util.List;

/**
 * The command-line options every ingest front end takes ({@code ./blt ingest}, {@code ./blt spark-ingest}),
 * declared once and mixed into each command with JCommander's {@code @ParametersDelegate}; they become the
 * engine's plain {@link IngestSettings}.
 */
public final class IngestParameters {
    @Parameter(names = "--config", description = "YAML file with any of these options (keys without the dashes); "
            + "the command line overrides it. Example: configs/ingest.yaml")
    public String config;

    @Parameter(names = {"-i", "--input"}, variableArity = true,
            description = "Files, directories or globs: Parquet, JSONL(.gz/.zst), Arrow IPC, or any other file as one document")
    public List<String> input;

    @Parameter(names = {"-o", "--output"}, description = "Output directory")
    public String output;

    @Parameter(names = "--weights", description = WeightsLocator.FORMATS + ". Default: weights/default.safetensors")
    public String weights;

    @Parameter(names = "--model-config", description = "Model config JSON, if the weights (file or folder) do not carry one")
    public String modelConfig;

    @Parameter(names = "--threshold", description = ThresholdChoice.THRESHOLD_HELP)
    public Double threshold;

    @Parameter(names = "--target-patch-size", description = ThresholdChoice.TARGET_HELP)
    public Double targetPatchSize;

    @Parameter(names = "--calibration-documents", description = ThresholdChoice.CALIBRATION_HELP)
    public Integer calibrationDocuments;

    @Parameter(names = "--threshold-add", description = "Also require an entropy rise above this (upstream threshold_add)")
    public Double thresholdAdd;

    @Parameter(names = "--monotonicity", arity = 0, description = "Patch on the entropy rise instead of its value")
    public Boolean monotonicity;

    @Parameter(names = "--max-patch-length", description = "Split longer patches")
    public Integer maxPatchLength;

    @Parameter(names = "--modality", description = "auto|text|code|image|audio|pdf|binary (default auto)")
    public String modality;

    @Parameter(names = "--text-column", description = "Column/field with the text (default: text, else content)")
    public String textColumn;

    @Parameter(names = "--id-column", description = "Column/field with the document id (default: upstream's sample_id rule, else file#row)")
    public String idColumn;

    @Parameter(names = "--limit", description = "Only the first N documents of the input")
    public Long limit;

    @Parameter(names = "--dtype", description = "Embedding storage type: bf16|f32|f16 (default bf16; f32 doubles the output)")
    public String dtype;

    @Parameter(names = "--precision", description = "float32 (default, as upstream) or bf16 (opt-in, faster and "
            + "less exact: the linear layers in bfloat16; needs a CPU with AVX512_BF16 or AMX)")
    public String precision;

    @Parameter(names = "--batch", description = "Documents scored together, a window at a time (default 8)")
    public Integer batch;

    /** The scorer's default chunk, in the words of every command that takes {@code --chunk}. */
    public static final String CHUNK_DEFAULT = "default: the model's window, at most "
            + SequenceScorer.MAX_WINDOWED_CHUNK + "; twice that with --batch 1";

    @Parameter(names = "--chunk", description = "Tokens per forward window for long documents (" + CHUNK_DEFAULT + ")")
    public Integer chunk;

    @Parameter(names = "--streams", description = "Threads scoring separate documents of a batch at once, the cores "
            + "shared among them (default: 2 on 2 or more cores; spark-ingest runs one per task and refuses it)")
    public Integer streams;

    @Parameter(names = "--part-bytes", description = "Documents longer than this (as read, or as the model reads "
            + "them) are ingested as parts of at most this many bytes, each with its offset (default 1048576)")
    public Integer partBytes;

    @Parameter(names = "--max-document-bytes", description = "Larger records, and larger files that are not text, "
            + "are refused with a line in errors.jsonl (default 67108864); text files of any size go in parts")
    public Long maxDocumentBytes;

    @Parameter(names = "--overwrite", arity = 0, description = "Replace the outputs of an earlier run in --output "
            + "instead of refusing to write over them")
    public Boolean overwrite;

    @Parameter(names = "--progress", arity = 0, description = "Progress lines also when stderr is not a terminal "
            + "(a log, a pipe): one every 10 seconds")
    public Boolean progress;

    @Parameter(names = {"-q", "--quiet"}, arity = 0, description = "No progress output")
    public Boolean quiet;

    /** The options given on the command line, with the front end's own {@code shard}, {@code resume} and
     *  {@code arrowEntropies} (null where it has none) and its output directory. */
    public IngestSettings settings(String outputDir, String shard, Boolean resume, Boolean arrowEntropies) {
        return new IngestSettings(input, outputDir, weights, modelConfig, threshold, thresholdAdd, monotonicity,
                maxPatchLength, modality, textColumn, idColumn, limit, shard, resume, dtype, batch, chunk,
                arrowEntropies, quiet, streams, partBytes, maxDocumentBytes, overwrite, progress, targetPatchSize,
                calibrationDocuments, precision);
    }
}
