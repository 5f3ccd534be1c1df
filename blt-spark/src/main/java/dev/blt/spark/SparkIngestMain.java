package dev.blt.spark;

import com.beust.jcommander.JCommander;
import com.beust.jcommander.Parameter;
import com.beust.jcommander.ParameterException;
import com.beust.jcommander.ParametersDelegate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blt.ingest.IngestSettings;
import dev.blt.options.IngestParameters;

import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code ./blt spark-ingest} and the main class for {@code spark-submit}: the ingest options of {@code blt ingest}
 * plus the Spark ones, from the command line over an optional YAML file ({@code configs/spark-ingest.yaml}).
 * Exit codes as {@code blt ingest}: 0 all done, 1 some documents failed, 2 bad options or input, 3 internal error.
 */
public final class SparkIngestMain {
    private static final String MASTER = "master";
    private static final String PARQUET_OUT = "parquet-out";
    private static final String PARTITIONS = "partitions";

    @Parameter(names = {"-h", "--help"}, help = true, description = "Show this help")
    private boolean help;

    @ParametersDelegate
    private final IngestParameters common = new IngestParameters();

    @Parameter(names = "--master", description = "Spark master when not set by spark-submit (default local[2])")
    private String master;

    @Parameter(names = "--parquet-out", description = "Also write one Parquet row per document to this directory "
            + "(id, entropies, prominence, patch_indices, patch_lengths, patch_prominence, patch_embeddings, ...)")
    private String parquetOut;

    @Parameter(names = "--partitions", description = "Spark partitions (tasks) the documents are spread over "
            + "(default: as many as Spark reads the input in)")
    private Integer partitions;

    @Parameter(names = "--fail-after", hidden = true, description = "Test hook: every task fails after writing N documents")
    private int failAfter;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        SparkIngestMain m = new SparkIngestMain();
        JCommander jc = JCommander.newBuilder().addObject(m).programName("./blt spark-ingest").build();
        try {
            jc.parse(args);
        } catch (ParameterException e) {
            System.err.println("blt spark-ingest: " + e.getMessage());
            System.err.println("Run './blt spark-ingest --help' for usage.");
            return 2;
        }
        if (m.help) {
            jc.usage();
            return 0;
        }
        SparkIngestOptions options;
        String master;
        try {
            JsonNode tree = m.common.config == null ? null : IngestSettings.tree(Path.of(m.common.config));
            JsonNode fromFile = tree instanceof ObjectNode o ? o.deepCopy() : null;
            String fileMaster = take(fromFile, MASTER);
            String fileParquet = take(fromFile, PARQUET_OUT);
            String filePartitions = take(fromFile, PARTITIONS);
            IngestSettings s = IngestSettings.of(fromFile, m.common.config == null ? null : Path.of(m.common.config))
                    .overriddenBy(m.common.settings(m.common.output, null, null, null));
            options = SparkIngestOptions.of(s, m.parquetOut != null ? m.parquetOut : fileParquet,
                    m.partitions != null ? m.partitions : filePartitions == null ? null : Integer.valueOf(filePartitions),
                    m.failAfter);
            master = m.master != null ? m.master : fileMaster;
            SparkIngestJob.check(options);
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("blt spark-ingest: " + e.getMessage());
            return 2;
        }
        return SparkRun.run("spark-ingest", master,
                spark -> new SparkIngestJob(spark, options, System.err).run().failed() > 0 ? 1 : 0);
    }

    /** Removes a Spark-only key from the YAML tree (the rest are ingest settings); null when absent. */
    private static String take(JsonNode tree, String key) {
        if (!(tree instanceof ObjectNode o) || !o.has(key) || o.get(key).isNull()) {
            return null;
        }
        return o.remove(key).asText();
    }
}
