package dev.blt.spark;

import com.beust.jcommander.JCommander;
import com.beust.jcommander.Parameter;
import com.beust.jcommander.ParameterException;
import com.beust.jcommander.ParametersDelegate;
import dev.blt.options.WaterFillParameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code ./blt spark-waterfill} and the main class for {@code spark-submit}: the options of {@code ./blt waterfill}
 * ({@link WaterFillParameters}; only the exact algorithm runs), over {@code configs/waterfill.yaml}, plus the Spark ones.
 * Exit codes: 0 done, 2 bad options or input, 3 internal error.
 */
public final class SparkWaterfillMain {
    @Parameter(names = {"-h", "--help"}, help = true, description = "Show this help")
    private boolean help;

    @Parameter(names = "--input", required = true, description = "Ingest outputs (.safetensors, .npz, or a directory "
            + "of them) or the Parquet rows of spark-ingest --parquet-out (patch level); repeatable")
    private List<String> inputs;

    @Parameter(names = "--output", required = true, description = "Parquet output directory: one row per point "
            + "(document, ordinal, point, prominence, shell, radius, theta, phi, coordinates)")
    private String output;

    @Parameter(names = "--npz-out", description = "Also write one sphere_<name>.npz per document here, as ./blt waterfill")
    private String npzOut;

    @ParametersDelegate
    private final WaterFillParameters waterfill = new WaterFillParameters();

    @Parameter(names = "--master", description = "Spark master when not set by spark-submit (default local[2])")
    private String master;

    @Parameter(names = "--partitions", description = "Spark partitions the documents and the sort are spread over "
            + "(default: Spark's default parallelism)")
    private Integer partitions;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        SparkWaterfillMain m = new SparkWaterfillMain();
        JCommander jc = JCommander.newBuilder().addObject(m).programName("./blt spark-waterfill").build();
        try {
            jc.parse(args);
        } catch (ParameterException e) {
            if (!m.help) {
                System.err.println("blt spark-waterfill: " + e.getMessage());
                System.err.println("Run './blt spark-waterfill --help' for usage.");
                return 2;
            }
        }
        if (m.help) {
            jc.usage();
            return 0;
        }
        SparkWaterfillOptions options;
        try {
            options = SparkWaterfillOptions.of(m.waterfill.effectiveConfig(), m.inputs.stream().map(Path::of).toList(),
                    Path.of(m.output), m.npzOut == null ? null : Path.of(m.npzOut), m.partitions,
                    m.waterfill.overwrite);
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("blt spark-waterfill: " + e.getMessage());
            return 2;
        }
        return SparkRun.run("spark-waterfill", m.master, spark -> {
            new SparkWaterfillJob(spark, options, System.err).run();
            return 0;
        });
    }
}
