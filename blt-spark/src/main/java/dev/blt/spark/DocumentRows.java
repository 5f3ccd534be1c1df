package dev.blt.spark;

import dev.blt.data.format.IngestFormat;
import dev.blt.data.tensors.SafeTensorsFile;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.nio.file.Path;

/**
 * A document's Parquet row, read from its {@code .safetensors} file: the same values whether the document was
 * computed in this run or an earlier one (and in its stored precision, so {@code --dtype bf16} rows equal the
 * files).
 */
final class DocumentRows implements MapFunction<Row, Row> {
    private static final org.apache.spark.sql.types.DataType FLOATS = DataTypes.createArrayType(DataTypes.FloatType, false);
    private static final org.apache.spark.sql.types.DataType INTS = DataTypes.createArrayType(DataTypes.IntegerType, false);

    /**
     * The Parquet output's columns; arrays are per position ([S]) or per patch ([P], [P][dim]) and named as the
     * tensors they come from.
     */
    static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.StringType, false).add("source", DataTypes.StringType).add("row", DataTypes.LongType)
            .add("ordinal", DataTypes.LongType).add("tokens", DataTypes.IntegerType)
            .add(IngestFormat.ENTROPIES, FLOATS).add(IngestFormat.PROMINENCE, FLOATS)
            .add(IngestFormat.PATCH_INDICES, INTS).add(IngestFormat.PATCH_LENGTHS, INTS)
            .add(IngestFormat.PATCH_PROMINENCE, FLOATS)
            .add(IngestFormat.PATCH_EMBEDDINGS, DataTypes.createArrayType(FLOATS, false))
            .add(IngestFormat.MODEL_SHA256, DataTypes.StringType);

    private final String dir;

    DocumentRows(Path dir) {
        this.dir = dir.toString();
    }

    /** {@code manifest}: a row of {@link IngestPartition#SCHEMA} for a document whose files exist. */
    @Override
    public Row call(Row manifest) throws Exception {
        String name = manifest.getString(manifest.fieldIndex("name"));
        try (SafeTensorsFile f = SafeTensorsFile.open(Path.of(dir, IngestFormat.tensorsFile(name)))) {
            float[] entropies = f.readFloats(IngestFormat.ENTROPIES);
            long[] starts = f.readLongs(IngestFormat.PATCH_INDICES);
            float[] flat = f.readFloats(IngestFormat.PATCH_EMBEDDINGS);
            int dim = starts.length == 0 ? 0 : flat.length / starts.length;
            float[][] patchEmbeddings = new float[starts.length][];
            for (int k = 0; k < starts.length; k++) {
                patchEmbeddings[k] = java.util.Arrays.copyOfRange(flat, k * dim, (k + 1) * dim);
            }
            return RowFactory.create(manifest.getString(manifest.fieldIndex("id")),
                    manifest.getString(manifest.fieldIndex("source")), manifest.getLong(manifest.fieldIndex("row")),
                    manifest.getLong(manifest.fieldIndex("ordinal")), entropies.length, entropies,
                    f.readFloats(IngestFormat.PROMINENCE), ints(starts), ints(f.readLongs(IngestFormat.PATCH_LENGTHS)),
                    f.readFloats(IngestFormat.PATCH_PROMINENCE), patchEmbeddings,
                    f.metadata().get(IngestFormat.MODEL_SHA256));
        }
    }

    private static int[] ints(long[] v) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Math.toIntExact(v[i]);
        }
        return out;
    }
}
