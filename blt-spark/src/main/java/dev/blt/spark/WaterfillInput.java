package dev.blt.spark;

import dev.blt.data.format.IngestFormat;
import dev.blt.ingest.OutputNames;
import dev.blt.waterfill.config.InputLevel;
import dev.blt.waterfill.core.PointSet;
import dev.blt.waterfill.io.InputFiles;
import dev.blt.waterfill.io.PointReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;

/**
 * The documents of a {@code spark-waterfill} input, one row each: {@code ordinal} (the document's place in the input
 * order, which breaks ties between equal scores as the point index of the concatenated input does in the single-JVM
 * filler) and {@code document} (the file's path, or the row's id); Parquet rows also carry their patch arrays.
 * Executors read a document's points with {@link #points}, the same {@link PointReader} as {@code ./blt waterfill}.
 */
final class WaterfillInput {
    static final String ORDINAL = "ordinal";
    static final String DOCUMENT = "document";
    private static final String PROMINENCE = IngestFormat.PATCH_PROMINENCE;
    private static final String EMBEDDINGS = IngestFormat.PATCH_EMBEDDINGS;

    private WaterfillInput() {
    }

    static Dataset<Row> documents(SparkSession spark, SparkWaterfillOptions o) {
        if (o.rows().isEmpty()) {
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < o.files().size(); i++) {
                rows.add(RowFactory.create((long) i, o.files().get(i)));
            }
            StructType schema = new StructType().add(ORDINAL, DataTypes.LongType, false)
                    .add(DOCUMENT, DataTypes.StringType, false);
            return spark.createDataFrame(rows, schema);
        }
        // spark-ingest's ordinal is the document's place in the ingest input: the order of a concatenation
        return spark.read().parquet(o.rows().toArray(String[]::new))
                .select(col(ORDINAL), col("id").as(DOCUMENT), col(PROMINENCE), col(EMBEDDINGS));
    }

    /** The points of one document row (after the padding filter, as {@code ./blt waterfill} reads them). */
    static PointSet points(Row doc, InputLevel level) throws IOException {
        String name = doc.getString(doc.fieldIndex(DOCUMENT));
        if (!hasArrays(doc)) {
            return PointReader.read(Path.of(name), level);
        }
        List<Float> prominence = doc.getList(doc.fieldIndex(PROMINENCE));
        List<scala.collection.Seq<Float>> rows = doc.getList(doc.fieldIndex(EMBEDDINGS));
        int n = rows.size();
        int dim = n == 0 ? 1 : rows.get(0).size();
        float[] p = new float[n];
        float[] e = new float[n * dim];
        for (int i = 0; i < n; i++) {
            p[i] = prominence.get(i);
            scala.collection.Seq<Float> row = rows.get(i);
            for (int d = 0; d < dim; d++) {
                e[i * dim + d] = row.apply(d);
            }
        }
        return PointReader.of(name, level, new long[]{n, dim}, e, p, null);
    }

    /** What made a file document's points ({@link PointReader#provenance}); rows carry none. */
    static Map<String, String> provenance(Row doc) throws IOException {
        return hasArrays(doc) ? Map.of() : PointReader.provenance(Path.of(doc.getString(doc.fieldIndex(DOCUMENT))));
    }

    /** {@code sphere_<stem>.npz}: the name {@code ./blt waterfill} gives a file's output, or the row id's file name. */
    static String npzName(Row doc) {
        String name = doc.getString(doc.fieldIndex(DOCUMENT));
        return hasArrays(doc) ? "sphere_" + OutputNames.forId(name) + ".npz" : InputFiles.outputName(Path.of(name));
    }

    private static boolean hasArrays(Row doc) {
        return doc.schema().getFieldIndex(EMBEDDINGS).isDefined();
    }
}
