package dev.blt.spark;

import dev.blt.data.io.EarlierRun;
import dev.blt.waterfill.WaterFill;
import dev.blt.waterfill.config.Algorithm;
import dev.blt.waterfill.config.ConfigFiles;
import dev.blt.waterfill.config.InputLevel;
import dev.blt.waterfill.config.WaterFillConfig;
import dev.blt.waterfill.io.InputFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A validated {@code spark-waterfill} run.
 *
 * @param config     the water-filling config (the exact algorithm)
 * @param configJson the same as JSON, as executors receive it (the config record is not Serializable)
 * @param files      ingest {@code .safetensors} / {@code .npz} files in {@code ./blt waterfill}'s order (absolute),
 *                   or empty when the input is Parquet rows
 * @param rows       Parquet rows of {@code spark-ingest --parquet-out} (absolute), or empty
 * @param output     the Parquet output directory (one row per point)
 * @param npzOut     null, or a directory for one {@code sphere_<name>.npz} per document
 * @param partitions null: Spark's default parallelism
 * @param overwrite  replace an earlier run's outputs in {@code output} and {@code npzOut}
 */
record SparkWaterfillOptions(WaterFillConfig config, String configJson, List<String> files, List<String> rows,
                             Path output, Path npzOut, Integer partitions, boolean overwrite) {

    /** Checks everything before the session starts and anything is created: inputs first, then the outputs. */
    static SparkWaterfillOptions of(WaterFillConfig config, List<Path> inputs, Path output, Path npzOut,
                                    Integer partitions, boolean overwrite) throws IOException {
        if (config.algorithm() != Algorithm.EXACT) {
            throw new IllegalArgumentException("algorithm '" + config.algorithm().id() + "' is not ported to Spark "
                    + "(only 'exact' is: one global sort; this one needs the points of a file together): use ./blt waterfill");
        }
        if (partitions != null && partitions < 1) {
            throw new IllegalArgumentException("--partitions: must be at least 1, got " + partitions);
        }
        List<Path> rows = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (Path in : inputs) {
            if (isParquet(in)) {
                rows.add(in);
            } else {
                files.addAll(InputFiles.expand(List.of(in)));
            }
        }
        if (!rows.isEmpty() && !files.isEmpty()) {
            throw new IllegalArgumentException("--input: either ingest files or Parquet rows, not both");
        }
        if (rows.isEmpty() && files.isEmpty()) {
            throw new IllegalArgumentException("--input: no .safetensors, .npz or .parquet files in " + inputs);
        }
        if (!rows.isEmpty() && config.level() != InputLevel.PATCH) {
            throw new IllegalArgumentException("the Parquet rows of spark-ingest hold patch embeddings only: "
                    + "use --level patch, or pass the ingest output directory as --input");
        }
        EarlierRun.requireFolder(output, "--output");
        // Spark replaces the Parquet folder whole; an earlier run's is replaced only when asked to
        List<Path> earlier = new ArrayList<>(EarlierRun.named(output, "_SUCCESS", ""));
        earlier.addAll(EarlierRun.named(output, "", ".parquet"));
        if (!earlier.isEmpty() && !overwrite) {
            throw EarlierRun.refusal(output, "spark-waterfill run", earlier.get(0), null, "choose another --output");
        }
        if (npzOut != null) {
            WaterFill.checkOutput(npzOut, overwrite, files, "--npz-out", "spark-waterfill run", null,
                    "choose another --npz-out");
        }
        return new SparkWaterfillOptions(config, ConfigFiles.toJson(config), absolute(files), absolute(rows),
                output.toAbsolutePath(), npzOut == null ? null : npzOut.toAbsolutePath(), partitions, overwrite);
    }

    /** A .parquet file, or a directory of them (Spark's output) that holds no ingest files. */
    private static boolean isParquet(Path in) throws IOException {
        if (!Files.isDirectory(in)) {
            return in.getFileName().toString().endsWith(".parquet");
        }
        try (Stream<Path> s = Files.list(in)) {
            return s.anyMatch(f -> f.getFileName().toString().endsWith(".parquet"))
                    && InputFiles.expand(List.of(in)).isEmpty();
        }
    }

    private static List<String> absolute(List<Path> paths) {
        return paths.stream().map(p -> p.toAbsolutePath().toString()).toList();
    }
}
