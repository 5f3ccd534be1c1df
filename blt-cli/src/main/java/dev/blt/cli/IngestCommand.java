package dev.blt.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import dev.blt.ingest.IngestOptions;
import dev.blt.ingest.IngestRun;
import dev.blt.ingest.IngestSettings;

import java.nio.file.Path;
import java.util.List;

/** {@code ./blt ingest}: documents in, per-document embeddings, entropies and patches out. */
@Parameters(commandDescription = "Run the entropy model over documents: embeddings, entropies and patches per document")
public final class IngestCommand implements Command, HelpOption {
    /** Exit code when the run finished but some documents failed (see errors.jsonl). */
    public static final int EXIT_SOME_FAILED = 1;

    @Parameter(names = {"-h", "--help"}, help = true, description = "Show this help")
    private boolean help;

    @Parameter(names = "--config", description = "YAML file with any of these options (keys without the dashes); "
            + "the command line overrides it. Example: configs/ingest.yaml")
    private String config;

    @Parameter(names = {"-i", "--input"}, variableArity = true,
            description = "Files, directories or globs: Parquet, JSONL(.gz/.zst), Arrow IPC, or any other file as one document")
    private List<String> input;

    @Parameter(names = {"-o", "--output"}, description = "Output directory")
    private String output;

    @Parameter(names = "--weights", description = ModelOptions.WEIGHTS_FORMATS + ". Default: weights/default.safetensors")
    private String weights;

    @Parameter(names = "--model-config", description = "Model config JSON, if the weights do not carry one")
    private String modelConfig;

    @Parameter(names = "--threshold", description = "Entropy threshold for a patch start (default 1.335442066192627)")
    private Double threshold;

    @Parameter(names = "--threshold-add", description = "Also require an entropy rise above this (upstream threshold_add)")
    private Double thresholdAdd;

    @Parameter(names = "--monotonicity", arity = 0, description = "Patch on the entropy rise instead of its value")
    private Boolean monotonicity;

    @Parameter(names = "--max-patch-length", description = "Split longer patches")
    private Integer maxPatchLength;

    @Parameter(names = "--modality", description = "auto|text|code|image|audio|pdf|binary (default auto)")
    private String modality;

    @Parameter(names = "--text-column", description = "Column/field with the text (default: text, else content)")
    private String textColumn;

    @Parameter(names = "--id-column", description = "Column/field with the document id (default: upstream's sample_id rule, else file#row)")
    private String idColumn;

    @Parameter(names = "--limit", description = "Only the first N documents of the input")
    private Long limit;

    @Parameter(names = "--shard", description = "i/n: only documents whose input position is i modulo n")
    private String shard;

    @Parameter(names = "--resume", arity = 0, description = "Finish an interrupted run in --output, skipping finished documents")
    private Boolean resume;

    @Parameter(names = "--dtype", description = "Embedding storage type: f32|bf16|f16 (default f32)")
    private String dtype;

    @Parameter(names = "--batch", description = "Documents scored together, a window at a time (default 8)")
    private Integer batch;

    @Parameter(names = "--chunk", description = "Tokens per forward window for long documents (default: the model's)")
    private Integer chunk;

    @Parameter(names = "--arrow-entropies", arity = 0, description = "Also write upstream's Arrow entropy file")
    private Boolean arrowEntropies;

    @Parameter(names = {"-q", "--quiet"}, arity = 0, description = "No progress output")
    private Boolean quiet;

    @Override
    public String name() {
        return "ingest";
    }

    @Override
    public boolean help() {
        return help;
    }

    /** The {@code --output} option (null when only a config file names it). */
    public String output() {
        if (output == null) {
            throw new UserError("--output is required");
        }
        return output;
    }

    @Override
    public int run() throws Exception {
        return runInto(output);
    }

    /** Runs the ingest with its outputs in {@code outputDir} (the pipeline puts them in a subfolder). */
    public int runInto(String outputDir) throws Exception {
        IngestSettings fromFile = config == null ? IngestSettings.NONE : IngestSettings.load(Path.of(config));
        IngestSettings cli = new IngestSettings(input, outputDir, weights, modelConfig, threshold, thresholdAdd,
                monotonicity, maxPatchLength, modality, textColumn, idColumn, limit, shard, resume, dtype, batch, chunk,
                arrowEntropies, quiet);
        IngestOptions options;
        try {
            options = IngestOptions.of(fromFile.overriddenBy(cli));
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        IngestRun.Summary s = new IngestRun(options, System.err, System.console() != null).run();
        return s.failed() > 0 ? EXIT_SOME_FAILED : 0;
    }
}
