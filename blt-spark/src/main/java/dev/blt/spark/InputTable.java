package dev.blt.spark;

import dev.blt.data.dataset.InputFile;
import dev.blt.data.dataset.Sources;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

import java.util.List;
import java.util.stream.Stream;

/**
 * The input as a table of documents, named and numbered as {@code blt ingest} names and numbers them (files from
 * {@link Sources#files}; ordinal = position in the whole input). Columns ({@link #columns}): {@code id},
 * {@code source}, {@code row}, {@code ordinal}, {@code text} (string or binary), {@code id_missing} (an explicitly
 * named id column is null), {@code utf8} (the document is text, not bytes: binary columns and plain files are not),
 * {@code problem} (non-null: unreadable input, as {@code blt ingest} reports it; the other columns but
 * {@code source} are then null).
 */
final class InputTable {
    private static final String[] COLUMNS = {"id", "source", "row", "ordinal", "text", "id_missing", "utf8", "problem"};

    private InputTable() {
    }

    /** Parquet only: Spark's reader, which splits files by row group; any other file: whole files per task. */
    static Dataset<Row> documents(SparkSession spark, SparkIngestOptions options) {
        List<InputFile> files = Sources.files(options.ingest().inputs());
        return files.stream().allMatch(f -> f.name().endsWith(".parquet"))
                ? ParquetInput.documents(spark, options.ingest(), files)
                : FileInput.documents(spark, options, files);
    }

    /** The table's columns, then {@code more}, in order. */
    static Column[] columns(String... more) {
        return Stream.concat(Stream.of(COLUMNS), Stream.of(more)).map(functions::col).toArray(Column[]::new);
    }
}
