package dev.blt.spark;

import dev.blt.ingest.IngestOptions;
import dev.blt.ingest.IngestSettings;
import dev.blt.ingest.LoadedModel;

import java.nio.file.Path;

/**
 * A validated {@code spark-ingest} run.
 *
 * @param settings   the ingest settings as executors receive them (weights resolved to an absolute path)
 * @param ingest     the same, validated
 * @param parquetOut null: per-document files only
 * @param partitions null: as many as Spark reads the input in, at least the default parallelism
 * @param failAfter  test hook: a task throws after writing this many documents (0: never)
 */
record SparkIngestOptions(IngestSettings settings, IngestOptions ingest, Path parquetOut, Integer partitions,
                          int failAfter) {

    static SparkIngestOptions of(IngestSettings s, String parquetOut, Integer partitions, int failAfter) {
        if (s.shard() != null || s.arrowEntropies() != null) {
            throw new IllegalArgumentException("shard, arrow-entropies: not options of spark-ingest (Spark partitions "
                    + "the input; the Parquet rows replace the Arrow entropy file)");
        }
        if (s.streams() != null) {
            throw new IllegalArgumentException("streams: not an option of spark-ingest (each task is one stream; "
                    + "run more tasks with --master local[N] or more executor cores)");
        }
        if (partitions != null && partitions < 1) {
            throw new IllegalArgumentException("--partitions: must be at least 1, got " + partitions);
        }
        IngestOptions o = IngestOptions.of(s);
        // executors do not share the driver's working directory or blt.home: ship absolute paths
        Path weights = (o.weights() != null ? o.weights() : LoadedModel.defaultWeights()).toAbsolutePath();
        IngestSettings shipped = s.overriddenBy(new IngestSettings(null, o.output().toAbsolutePath().toString(),
                weights.toString(), o.modelConfig() == null ? null : o.modelConfig().toAbsolutePath().toString(),
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null));
        return new SparkIngestOptions(shipped, IngestOptions.of(shipped),
                parquetOut == null ? null : Path.of(parquetOut).toAbsolutePath(), partitions, failAfter);
    }
}
