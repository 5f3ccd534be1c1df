package dev.blt.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import com.beust.jcommander.ParametersDelegate;
import dev.blt.ingest.IngestOptions;
import dev.blt.ingest.IngestRun;
import dev.blt.ingest.IngestSettings;
import dev.blt.options.IngestParameters;

import java.nio.file.Path;

/** {@code ./blt ingest}: documents in, per-document embeddings, entropies and patches out. */
@Parameters(commandDescription = "Run the entropy model over documents: embeddings, entropies and patches per document")
public final class IngestCommand implements Command, HelpOption {
    /** Exit code when the run finished but some documents failed (see errors.jsonl). */
    public static final int EXIT_SOME_FAILED = 1;

    @Parameter(names = {"-h", "--help"}, help = true, description = "Show this help")
    private boolean help;

    @ParametersDelegate
    private final IngestParameters common = new IngestParameters();

    @Parameter(names = "--shard", description = "i/n: only documents whose input position is i modulo n")
    private String shard;

    @Parameter(names = "--resume", arity = 0, description = "Finish an interrupted run in --output, skipping finished documents")
    private Boolean resume;

    @Parameter(names = "--arrow-entropies", arity = 0, description = "Also write upstream's Arrow entropy file")
    private Boolean arrowEntropies;

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
        if (common.output == null) {
            throw new UserError("--output is required");
        }
        return common.output;
    }

    @Override
    public int run() throws Exception {
        return run(options(common.output));
    }

    /**
     * The checked options of a run into {@code outputDir} (the pipeline puts it in a subfolder): the config file, if
     * any, overridden by the command line.
     */
    public IngestOptions options(String outputDir) throws Exception {
        IngestSettings fromFile = common.config == null ? IngestSettings.NONE : IngestSettings.load(Path.of(common.config));
        IngestSettings cli = common.settings(outputDir, shard, resume, arrowEntropies);
        try {
            return IngestOptions.of(fromFile.overriddenBy(cli));
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }

    /** Runs the ingest; exit code {@link #EXIT_SOME_FAILED} when some documents failed. */
    public static int run(IngestOptions options) throws Exception {
        IngestRun.Summary s = new IngestRun(options, System.err, System.console() != null).run();
        return s.failed() > 0 ? EXIT_SOME_FAILED : 0;
    }
}
