package dev.blt.spark;

import dev.blt.data.dataset.DatasetException;
import dev.blt.data.dataset.Sources;
import dev.blt.data.io.EarlierRun;
import dev.blt.ingest.DocumentWriter;
import dev.blt.ingest.IngestOptions;
import dev.blt.ingest.IngestThreshold;
import dev.blt.patching.ThresholdChoice;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;

/**
 * {@code blt ingest} as a Spark job. The per-document files in the output directory (a filesystem every executor
 * mounts) are both the result and the checkpoint: documents whose files exist are skipped, so resubmitting a failed
 * job finishes it. The job's record of every document is {@code <output>/spark-manifest/} (Parquet, rewritten whole
 * by each run); the Parquet rows ({@code --parquet-out}) are built from the files of the documents it lists and
 * rewritten whole too, so neither can hold a document twice.
 */
final class SparkIngestJob {
    /** What a run did. */
    record Summary(long written, long existing, long failed, long tokens, long bytes, double seconds) {
        double tokensPerSecond() {
            return seconds > 0 ? tokens / seconds : 0;
        }
    }

    static final String MANIFEST_DIR = "spark-manifest";

    private final SparkSession spark;
    private final SparkIngestOptions options;
    private final PrintStream err;

    SparkIngestJob(SparkSession spark, SparkIngestOptions options, PrintStream err) {
        this.spark = spark;
        this.options = options;
        this.err = err;
    }

    /**
     * Refuses, before the session starts and anything is created, what {@code blt ingest} refuses: a missing input
     * and an {@code --output} that is a file. A folder holding an earlier run is not refused: every run resumes it.
     */
    static void check(SparkIngestOptions options) throws IOException {
        try {
            Sources.files(options.ingest().inputs());
        } catch (DatasetException e) {
            throw new IOException(e.getMessage(), e);
        }
        EarlierRun.requireFolder(options.ingest().output(), "--output");
    }

    Summary run() throws IOException {
        IngestOptions o = options.ingest();
        Path out = o.output();
        Files.createDirectories(out);
        if (o.overwrite()) {
            removeEarlierRun(out);
        }
        DocumentWriter.removeStaleTempFiles(out);
        // chosen once, here: a calibration scores the run's first documents, which no one task sees in order
        ThresholdChoice threshold = IngestThreshold.choose(o, line -> {
            if (!o.quiet()) {
                err.println("spark-ingest: " + line);
            }
        });
        long t0 = System.nanoTime();
        Dataset<Row> docs = InputTable.documents(spark, options);
        int partitions = options.partitions() != null ? options.partitions()
                : Math.max(docs.rdd().getNumPartitions(), spark.sparkContext().defaultParallelism());
        // hashing by id spreads documents evenly and lets the duplicate check below run without another shuffle
        Dataset<Row> ranked = docs.repartition(partitions, col("id"))
                .withColumn("first_ordinal", min("ordinal").over(Window.partitionBy("id")))
                .select(InputTable.columns("first_ordinal"));
        Path manifest = out.resolve(MANIFEST_DIR);
        ranked.mapPartitions(new IngestPartition(options.settings(), threshold, options.failAfter()),
                        Encoders.row(IngestPartition.SCHEMA))
                .write().mode(SaveMode.Overwrite).parquet(manifest.toString());
        Summary s = summarize(spark.read().parquet(manifest.toString()), (System.nanoTime() - t0) / 1e9);
        if (options.parquetOut() != null) {
            spark.read().parquet(manifest.toString()).filter(col("status").notEqual(IngestPartition.FAILED))
                    .map(new DocumentRows(out), Encoders.row(DocumentRows.SCHEMA))
                    .write().mode(SaveMode.Overwrite).parquet(options.parquetOut().toString());
        }
        if (!o.quiet()) {
            err.printf("spark-ingest: %d documents written, %d already there, %d failed; %d tokens in %.1f s (%.0f tokens/s)%n",
                    s.written(), s.existing(), s.failed(), s.tokens(), s.seconds(), s.tokensPerSecond());
        }
        if (s.failed() > 0) {
            err.println("spark-ingest: failed documents (status = 'failed' in " + manifest + "), first ones:");
            for (Row r : spark.read().parquet(manifest.toString()).filter(col("status").equalTo(IngestPartition.FAILED))
                    .orderBy("ordinal").limit(10).collectAsList()) {
                // unreadable input has no id; its reason names the file and the position
                err.println("  " + (r.getAs("id") == null ? r.getAs("reason")
                        : r.getAs("id") + " (" + r.getAs("source") + " row " + r.getAs("row") + "): " + r.getAs("reason")));
            }
        }
        return s;
    }

    /**
     * The documents an earlier run wrote, known by their sidecars (a failed job writes no manifest, and its files
     * would otherwise be skipped as finished), and its manifest; nothing else in the folder.
     */
    private static void removeEarlierRun(Path out) throws IOException {
        for (String name : DocumentWriter.writtenNames(out)) {
            DocumentWriter.remove(out, name);
        }
        Path manifest = out.resolve(MANIFEST_DIR);
        if (Files.isDirectory(manifest)) {
            try (Stream<Path> s = Files.walk(manifest)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** Counts by status: one aggregate row per status reaches the driver. */
    private static Summary summarize(Dataset<Row> manifest, double seconds) {
        long written = 0;
        long existing = 0;
        long failed = 0;
        long tokens = 0;
        long bytes = 0;
        for (Row r : manifest.groupBy("status").agg(count(lit(1)), coalesce(sum("tokens"), lit(0L)),
                coalesce(sum("bytes"), lit(0L))).collectAsList()) {
            long n = r.getLong(1);
            switch (r.getString(0)) {
                case IngestPartition.WRITTEN -> {
                    written = n;
                    tokens = r.getLong(2);
                    bytes = r.getLong(3);
                }
                case IngestPartition.EXISTING -> existing = n;
                default -> failed = n;
            }
        }
        return new Summary(written, existing, failed, tokens, bytes, seconds);
    }
}
