package dev.blt.spark;

import dev.blt.data.format.IngestFormat;
import dev.blt.waterfill.WaterFill;
import dev.blt.waterfill.config.ConfigFiles;
import dev.blt.waterfill.config.InputLevel;
import dev.blt.waterfill.config.WaterFillConfig;
import dev.blt.waterfill.core.PointSet;
import dev.blt.waterfill.core.ShellTable;
import dev.blt.waterfill.core.SphereResult;
import dev.blt.waterfill.io.InputFiles;
import dev.blt.waterfill.io.NpzReader;
import dev.blt.waterfill.io.NpzWriter;
import dev.blt.waterfill.io.PointReader;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The global exact fill on Spark (local[2]) against the single-JVM exact filler run on the concatenation of the
 * same documents in the same order: shells and radii identical, coordinates within 1e-5, every shell at its capacity.
 * Inputs are synthetic ingest-like {@code .npz} files (embeddings, prominence) with a few padding rows, and Parquet
 * rows shaped like {@code spark-ingest --parquet-out}.
 */
class SparkWaterfillTest {
    private static final int DIM = 12;
    private static SparkSession spark;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() {
        spark = TestSpark.session("blt spark-waterfill test");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void globalFillEqualsTheSingleJvmFillOfTheConcatenatedInput() throws IOException {
        Path in = tmp.resolve("distinct");
        writeDocuments(in, 7, new Random(1), 0);
        WaterFillConfig config = ConfigFiles.parse("target_shells: 24");
        List<Row> rows = runJob(config, List.of(in), tmp.resolve("distinct-out"), tmp.resolve("distinct-npz"));
        List<PointSet> docs = new ArrayList<>();
        for (Path f : InputFiles.expand(List.of(in))) {
            docs.add(PointReader.read(f, InputLevel.TOKEN));
        }
        assertSameAsSingleJvm(config, docs, rows);

        // the per-document .npz hold the same shells as the rows, and the global capacities
        Path first = InputFiles.expand(List.of(in)).get(0);
        try (NpzReader npz = NpzReader.open(tmp.resolve("distinct-npz").resolve(InputFiles.outputName(first)))) {
            float[] radii = npz.readFloats("radii");
            int n = 0;
            for (Row r : rows) {
                if (r.getLong(r.fieldIndex("ordinal")) == 0) {
                    assertEquals(r.getFloat(r.fieldIndex("radius")), radii[r.getInt(r.fieldIndex("point"))]);
                    n++;
                }
            }
            assertEquals(n, radii.length);
            assertEquals(24, npz.readDoubles("shell_capacity").length);
        }
    }

    @Test
    void tiesAreBrokenByDocumentOrderThenPointAsInTheSingleJvmFiller() throws IOException {
        Path in = tmp.resolve("ties");
        // three distinct prominence values over ~600 points; inward orientation also checks the descending key
        writeDocuments(in, 6, new Random(2), 3);
        WaterFillConfig config = ConfigFiles.parse("target_shells: 40\norientation: prominent-inward");
        List<Row> rows = runJob(config, List.of(in), tmp.resolve("ties-out"), null);
        List<PointSet> docs = new ArrayList<>();
        for (Path f : InputFiles.expand(List.of(in))) {
            docs.add(PointReader.read(f, InputLevel.TOKEN));
        }
        assertSameAsSingleJvm(config, docs, rows);
    }

    @Test
    void parquetRowsOfSparkIngestArePlacedAtPatchLevel() throws IOException {
        Random rnd = new Random(3);
        List<Row> table = new ArrayList<>();
        List<PointSet> docs = new ArrayList<>();
        for (int d = 0; d < 5; d++) {
            int n = 5 + rnd.nextInt(30);
            float[] p = new float[n];
            float[] e = new float[n * DIM];
            List<float[]> patches = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                p[i] = 1 + rnd.nextInt(4);
                float[] row = new float[DIM];
                for (int k = 0; k < DIM; k++) {
                    row[k] = (float) rnd.nextGaussian();
                }
                System.arraycopy(row, 0, e, i * DIM, DIM);
                patches.add(row);
            }
            // rows listed out of ordinal order: the ordinal, not the storage order, breaks ties
            table.add(0, RowFactory.create("doc-" + d, (long) d, p, patches.toArray(float[][]::new)));
            docs.add(new PointSet("doc-" + d, n, DIM, e, p, null));
        }
        StructType schema = new StructType().add("id", DataTypes.StringType).add("ordinal", DataTypes.LongType)
                .add("patch_prominence", DataTypes.createArrayType(DataTypes.FloatType))
                .add("patch_embeddings", DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.FloatType)));
        Path parquet = tmp.resolve("rows");
        spark.createDataFrame(table, schema).repartition(2).write().parquet(parquet.toString());
        WaterFillConfig config = ConfigFiles.parse("target_shells: 8\nlevel: patch");
        assertSameAsSingleJvm(config, docs, runJob(config, List.of(parquet), tmp.resolve("rows-out"), null));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SparkWaterfillOptions.of(
                WaterFillConfig.defaults(), List.of(parquet), tmp.resolve("x"), null, null, false));
        assertTrue(e.getMessage().contains("--level patch"), e.getMessage());
    }

    /** An earlier run's Parquet rows and .npz are refused naming --overwrite, which replaces both. */
    @Test
    void anEarlierRunIsRefusedWithTheWayOutAndOverwriteReplacesIt() throws IOException {
        Path in = tmp.resolve("again");
        writeDocuments(in, 3, new Random(4), 0);
        Path out = tmp.resolve("again-out");
        Path npz = tmp.resolve("again-npz");
        WaterFillConfig config = ConfigFiles.parse("target_shells: 8");
        runJob(config, List.of(in), out, npz);
        TestSpark.assertOneLineError(() -> SparkWaterfillMain.run("--input", in.toString(), "--output",
                out.toString()), out.toString(), "_SUCCESS", "--overwrite", "choose another --output");
        Path fresh = tmp.resolve("again-fresh");
        TestSpark.assertOneLineError(() -> SparkWaterfillMain.run("--input", in.toString(), "--output",
                fresh.toString(), "--npz-out", npz.toString()), npz.toString(), "--overwrite", "--npz-out");

        List<Path> files = InputFiles.expand(List.of(in));
        Files.delete(files.get(0));
        SparkWaterfillOptions o = SparkWaterfillOptions.of(config, List.of(in), out, npz, 3, true);
        new SparkWaterfillJob(spark, o, new TestSpark.Messages().stream).run();
        assertFalse(Files.exists(npz.resolve(InputFiles.outputName(files.get(0)))), "the earlier run's file is gone");
        assertTrue(Files.exists(npz.resolve(InputFiles.outputName(files.get(1)))));
        assertEquals(2, spark.read().parquet(out.toString()).select("ordinal").distinct().count());
    }

    @Test
    void aMissingInputOrAFileAsOutputIsRefusedBeforeTheJobStarts() throws IOException {
        Path in = tmp.resolve("refused");
        writeDocuments(in, 1, new Random(5), 0);
        TestSpark.assertInputAndOutputCheckedFirst(SparkWaterfillMain::run, tmp.resolve("nope"), in, tmp);
    }

    @Test
    void algorithmsNeedingTheirPointsTogetherAreRefused() {
        for (String algorithm : List.of("langevin", "lateral", "osmotic-v2")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SparkWaterfillOptions.of(
                    ConfigFiles.parse("algorithm: " + algorithm), List.of(tmp), tmp.resolve("x"), null, null, false));
            assertTrue(e.getMessage().contains("'" + algorithm + "'") && e.getMessage().contains("./blt waterfill"),
                    e.getMessage());
        }
    }

    private static List<Row> runJob(WaterFillConfig config, List<Path> inputs, Path out, Path npz) throws IOException {
        SparkWaterfillOptions o = SparkWaterfillOptions.of(config, inputs, out, npz, 3, false);
        TestSpark.Messages messages = new TestSpark.Messages();
        new SparkWaterfillJob(spark, o, messages.stream).run();
        assertTrue(messages.text().startsWith("spark-waterfill: "), messages.text());
        return spark.read().parquet(out.toString()).collectAsList();
    }

    /** Single-JVM reference: the concatenation of the documents, in input order, through {@link WaterFill#place}. */
    private static void assertSameAsSingleJvm(WaterFillConfig config, List<PointSet> docs, List<Row> rows) {
        int total = docs.stream().mapToInt(PointSet::n).sum();
        float[] e = new float[total * DIM];
        float[] p = new float[total];
        long[] offset = new long[docs.size()];
        int at = 0;
        for (int d = 0; d < docs.size(); d++) {
            offset[d] = at;
            System.arraycopy(docs.get(d).embeddings(), 0, e, at * DIM, docs.get(d).n() * DIM);
            System.arraycopy(docs.get(d).prominence(), 0, p, at, docs.get(d).n());
            at += docs.get(d).n();
        }
        SphereResult ref = WaterFill.place(config, new PointSet("all", total, DIM, e, p, null));
        assertEquals(total, rows.size());
        long[] perShell = new long[config.targetShells()];
        for (Row r : rows) {
            int i = (int) (offset[(int) r.getLong(r.fieldIndex("ordinal"))] + r.getInt(r.fieldIndex("point")));
            int shell = r.getInt(r.fieldIndex("shell"));
            perShell[shell]++;
            assertEquals(ref.placement().shells()[i], shell, "point " + i);
            assertEquals(ref.placement().radii()[i], r.getFloat(r.fieldIndex("radius")), "point " + i);
            assertEquals(p[i], r.getFloat(r.fieldIndex("prominence")));
            assertEquals(ref.coordinates().theta()[i], r.getFloat(r.fieldIndex("theta")), 1e-5f);
            assertEquals(ref.coordinates().phi()[i], r.getFloat(r.fieldIndex("phi")), 1e-5f);
            List<Float> c = r.getList(r.fieldIndex("coordinates"));
            for (int k = 0; k < DIM; k++) {
                assertEquals(ref.coordinates().sphere()[i * DIM + k], c.get(k), 1e-5f, "point " + i);
            }
        }
        // the capacity invariant: every shell holds exactly its share of all points
        assertArrayEquals(new ShellTable(config.targetShells(), config.minRadius(), config.maxRadius(),
                config.shellSpacing()).capacities((long) total, config.capacityExponent()), perShell);
    }

    /**
     * {@code count} ingest-like .npz files of 20 to 200 points, with a padding row (prominence 0) at the start and
     * one in the middle; prominence is the embedding's norm, or one of {@code levels} values when levels > 0 (ties).
     */
    private static void writeDocuments(Path dir, int count, Random rnd, int levels) throws IOException {
        Files.createDirectories(dir);
        for (int d = 0; d < count; d++) {
            int n = 20 + rnd.nextInt(180);
            float[] e = new float[n * DIM];
            float[] p = new float[n];
            for (int i = 0; i < n; i++) {
                double norm = 0;
                for (int k = 0; k < DIM; k++) {
                    e[i * DIM + k] = (float) (rnd.nextGaussian() * (1 + i % 5));
                    norm += e[i * DIM + k] * e[i * DIM + k];
                }
                p[i] = levels > 0 ? 1 + rnd.nextInt(levels) : (float) Math.sqrt(norm);
            }
            p[0] = 0;
            p[n / 2] = 0;
            new NpzWriter(false).addFloats(IngestFormat.EMBEDDINGS, e, 1, n, DIM)
                    .addFloats(IngestFormat.PROMINENCE, p, 1, n)
                    .write(dir.resolve(String.format("doc-%02d.npz", d)));
        }
    }
}
