package dev.blt.spark;

import dev.blt.data.dataset.InputFile;
import dev.blt.data.dataset.Sources;
import dev.blt.ingest.IngestOptions;
import dev.blt.ingest.IngestSettings;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An input that is not all Parquet (JSONL, Arrow IPC, plain files, mixtures) as the {@link InputTable}, read by
 * blt-data's own readers so that records, ids and ordinals are {@code blt ingest}'s. Spark has no row index for
 * these formats, so files, not rows, are distributed, in two passes of one task per file: the first counts each
 * file's records, the driver turns the counts into each file's first ordinal (one number per file), the second
 * streams each file from its first ordinal ({@link FileDocuments}).
 */
final class FileInput {
    /**
     * A file as tasks receive it ({@link InputFile} holds a {@link Path}, which Spark cannot ship): opened by its
     * absolute path (executors have their own working directory), named as {@code blt ingest} names it.
     */
    record Part(String path, String name, String idBase, long firstOrdinal) implements Serializable {
        InputFile file() {
            return new InputFile(Path.of(path), idBase);
        }
    }

    private FileInput() {
    }

    static Dataset<Row> documents(SparkSession spark, SparkIngestOptions options, List<InputFile> files) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<Part> unnumbered = files.stream().map(f -> new Part(f.path().toAbsolutePath().toString(), f.name(),
                f.idBase(), 0)).toList();
        IngestSettings settings = options.settings();
        List<Long> counts = sc.parallelize(unnumbered, unnumbered.size())
                .map(p -> Sources.records(p.file(), IngestOptions.of(settings).sourceOptions())).collect();
        Long limit = options.ingest().limit();
        List<Part> parts = new ArrayList<>();
        long offset = 0;
        for (int i = 0; i < files.size() && (limit == null || offset < limit); i++) {
            // files past the limit are never opened, as blt ingest's stream stops before them
            Part p = unnumbered.get(i);
            parts.add(new Part(p.path(), p.name(), p.idBase(), offset));
            offset += counts.get(i);
        }
        return spark.createDataFrame(sc.parallelize(parts, Math.max(1, parts.size()))
                .flatMap(new FileDocuments(settings)), FileDocuments.SCHEMA);
    }
}
