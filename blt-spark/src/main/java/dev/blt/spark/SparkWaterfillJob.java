package dev.blt.spark;

import dev.blt.waterfill.WaterFill;
import dev.blt.waterfill.algorithms.ExactCapacityFiller;
import dev.blt.waterfill.core.ShellFill;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;

/**
 * The exact-capacity water-filling as one global fill over every point of the input, as a Spark job:
 * executors score each document's points; the driver turns the point count into shell capacities
 * ({@link ShellFill}, the single-JVM code); Spark sorts all points by (score key, document ordinal, point), which
 * is the single-JVM fill order of the concatenated input, ties included; {@code zipWithIndex} numbers the sorted
 * points and the broadcast fill maps each rank to its shell and radius; executors then compute each document's
 * coordinates. Nothing but two aggregate numbers reaches the driver.
 */
final class SparkWaterfillJob {
    /** What a run did. */
    record Summary(long points, long documents, int occupiedShells, double seconds) {
    }

    private final SparkSession spark;
    private final SparkWaterfillOptions options;
    private final PrintStream err;

    SparkWaterfillJob(SparkSession spark, SparkWaterfillOptions options, PrintStream err) {
        this.spark = spark;
        this.options = options;
        this.err = err;
    }

    Summary run() throws IOException {
        long t0 = System.nanoTime();
        int partitions = options.partitions() != null ? options.partitions()
                : spark.sparkContext().defaultParallelism();
        // hashed by ordinal: the same partitioning serves the scoring and the final join with the placements
        Dataset<Row> docs = WaterfillInput.documents(spark, options).repartition(partitions, col(WaterfillInput.ORDINAL));
        Dataset<Row> keys = docs.flatMap(new ScoredPoints(options.configJson()), Encoders.row(ScoredPoints.SCHEMA))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Row counts = keys.agg(count(lit(1)), countDistinct(col(WaterfillInput.ORDINAL))).first();
            long n = counts.getLong(0);
            if (n == 0) {
                throw new IllegalArgumentException("no points: every row of the input is padding (prominence <= 1e-6)");
            }
            ShellFill fill = new ShellFill(options.config(), n);
            Broadcast<ShellFill> shared = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(fill);
            // Spark's range-partitioned sort; partition order is rank order, so zipWithIndex gives global ranks
            JavaRDD<Row> ranked = keys.orderBy(col(ScoredPoints.KEY), col(WaterfillInput.ORDINAL), col(ScoredPoints.POINT))
                    .javaRDD().zipWithIndex().map(new ShellOfRank(shared));
            Dataset<Row> placed = spark.createDataFrame(ranked, ShellOfRank.SCHEMA)
                    .repartition(partitions, col(WaterfillInput.ORDINAL))
                    .groupBy(WaterfillInput.ORDINAL)
                    .agg(collect_list(struct(ScoredPoints.POINT, ShellOfRank.SHELL, ShellOfRank.RADIUS)).as(PlacedDocument.PLACED));
            if (options.npzOut() != null) {
                // an earlier run's files of documents not in this input would otherwise remain beside the new ones
                WaterFill.removeEarlierOutputs(options.npzOut());
                Files.createDirectories(options.npzOut());
            }
            docs.join(placed, WaterfillInput.ORDINAL)
                    .flatMap(new PlacedDocument(options.configJson(), fill.capacities(), n, options.npzOut()),
                            Encoders.row(PlacedDocument.SCHEMA))
                    .write().mode(SaveMode.Overwrite).parquet(options.output().toString());
            shared.destroy();
            Summary s = new Summary(n, counts.getLong(1),
                    ExactCapacityFiller.occupied(fill.capacities()), (System.nanoTime() - t0) / 1e9);
            err.printf("spark-waterfill: %d points of %d documents on %d shells (%d occupied) in %.1f s -> %s%n",
                    s.points(), s.documents(), fill.shells(), s.occupiedShells(), s.seconds(), options.output());
            return s;
        } finally {
            keys.unpersist();
        }
    }
}
