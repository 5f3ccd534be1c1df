package dev.blt.spark;

import dev.blt.data.dataset.InputFile;
import dev.blt.data.dataset.SourceOptions;
import dev.blt.ingest.IngestOptions;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructType;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;

/**
 * An input of Parquet files only as the {@link InputTable}, read by Spark (row groups split across tasks) and
 * named and numbered exactly as {@code blt ingest} names and numbers them: the same file order, the same id rule
 * (the first non-null of the id columns, else {@code <file>#<row>}), the same ordinals (position in the whole input).
 */
final class ParquetInput {
    private ParquetInput() {
    }

    static Dataset<Row> documents(SparkSession spark, IngestOptions o, List<InputFile> files) {
        Dataset<Row> raw = spark.read().parquet(files.stream().map(f -> f.path().toAbsolutePath().toString())
                .toArray(String[]::new));
        SourceOptions so = o.sourceOptions();
        List<String> names = Arrays.asList(raw.schema().fieldNames());
        String text = so.textCandidates().stream().filter(names::contains).findFirst().orElseThrow(() ->
                new IllegalArgumentException("no column " + so.textCandidates() + " in the input (columns: " + names + ")"));
        var textType = raw.schema().apply(text).dataType();
        if (!(textType instanceof StringType || textType instanceof BinaryType)) {
            throw new IllegalArgumentException("column '" + text + "' is " + textType.simpleString()
                    + ", not a string or binary column");
        }
        List<Column> ids = so.idCandidates().stream().filter(names::contains).map(c -> col(c).cast("string")).toList();
        if (o.idColumn() != null && ids.isEmpty()) {
            throw new IllegalArgumentException("no id column '" + o.idColumn() + "' (columns: " + names + ")");
        }
        Column givenId = ids.isEmpty() ? lit(null).cast("string") : coalesce(ids.toArray(Column[]::new));
        Dataset<Row> docs = raw.select(col("_metadata.file_path").as("file_path"), col("_metadata.row_index").as("row"),
                col(text).as("text"), givenId.as("given_id"));
        Dataset<Row> table = fileTable(spark, files, docs);
        Column fallbackId = o.idColumn() != null ? lit(null).cast("string")
                : concat(col("id_base"), lit("#"), col("row").cast("string"));
        Dataset<Row> out = docs.join(broadcast(table), "file_path")
                .withColumn("ordinal", col("offset").plus(col("row")))
                .withColumn("id_missing", col("given_id").isNull().and(lit(o.idColumn() != null)))
                .withColumn("id", coalesce(col("given_id"), fallbackId, lit("")))
                .withColumn("utf8", lit(textType instanceof StringType))
                .withColumn("problem", lit(null).cast("string"))
                .select(InputTable.columns());
        return o.limit() == null ? out : out.filter(col("ordinal").lt(o.limit()));
    }

    /**
     * One row per file: Spark's name for it ({@code file_path}), {@code blt ingest}'s ({@code source},
     * {@code id_base}) and the ordinal of its first row ({@code offset}, from the row counts of the files before it).
     * Only the counts come to the driver: one row per file.
     */
    private static Dataset<Row> fileTable(SparkSession spark, List<InputFile> files, Dataset<Row> docs) {
        Map<Path, String> sparkNames = new HashMap<>();
        Map<Path, Long> counts = new HashMap<>();
        for (Row r : docs.groupBy("file_path").count().collectAsList()) {
            Path p = Path.of(URI.create(r.getString(0)).getPath()).normalize();
            sparkNames.put(p, r.getString(0));
            counts.put(p, r.getLong(1));
        }
        List<Row> rows = new ArrayList<>();
        long offset = 0;
        for (InputFile f : files) {
            Path p = f.path().toAbsolutePath().normalize();
            long n = counts.getOrDefault(p, 0L);
            if (n > 0) {
                rows.add(RowFactory.create(sparkNames.get(p), f.name(), f.idBase(), offset));
            }
            offset += n;
        }
        StructType schema = new StructType().add("file_path", DataTypes.StringType).add("source", DataTypes.StringType)
                .add("id_base", DataTypes.StringType).add("offset", DataTypes.LongType);
        return spark.createDataFrame(rows, schema);
    }
}
