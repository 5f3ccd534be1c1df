package dev.blt.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blt.data.format.IngestFormat;
import dev.blt.data.tensors.SafeTensorsFile;
import dev.blt.ingest.IngestOptions;
import dev.blt.ingest.IngestRun;
import dev.blt.ingest.IngestSettings;
import dev.blt.ingest.OutputNames;
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
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Spark job in local mode on the default model, over a Parquet dataset of three shards written by Spark and
 * over a directory of JSONL (one gzipped, one with a bad line) and plain text files: its outputs against
 * {@code blt ingest}'s engine run in this JVM on the same files, and a job that fails midway then is resubmitted.
 */
class SparkIngestTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DOCS = 30;
    private static SparkSession spark;

    @TempDir
    static Path tmp;
    private static Path dataset;
    private static Path files;
    /** Documents in {@link #files}: 7 + 8 JSON lines, 2 plain files; one more line is not JSON. */
    private static final int FILE_DOCS = 17;

    @BeforeAll
    static void start() throws IOException {
        spark = TestSpark.session("blt spark-ingest test");
        dataset = tmp.resolve("fineweb");
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < DOCS; i++) {
            // one document without an id: both engines fall back to <file>#<row>
            String id = i == 7 ? null : "doc-" + i;
            rows.add(RowFactory.create(id, "Document " + i + ": " + "the quick brown fox jumps over the lazy dog, "
                    .repeat(1 + i % 5) + "int f(int x) { return x * " + i + "; }"));
        }
        StructType schema = new StructType().add("id", DataTypes.StringType).add("text", DataTypes.StringType);
        spark.createDataFrame(rows, schema).coalesce(1).repartition(3).write().parquet(dataset.toString());
        // a downloaded dataset has Parquet files only; blt ingest would read Spark's marker as a document
        Files.delete(dataset.resolve("_SUCCESS"));

        files = tmp.resolve("files");
        Files.createDirectories(files);
        StringBuilder a = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            // line 3 is not JSON (reported, skipped, but numbered), line 5 has no id (<file>#<row>), line 6 is blank
            a.append(i == 2 ? "{not json" : JSON.createObjectNode().put("id", i == 4 ? null : "a-" + i)
                    .put("text", "line " + i + " of a: " + "pack my box with five dozen liquor jugs. ".repeat(1 + i % 3))
                    .toString()).append(i == 5 ? "\n\n" : "\n");
        }
        Files.writeString(files.resolve("a.jsonl"), a);
        try (Writer w = new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(files.resolve("b.jsonl.gz"))),
                StandardCharsets.UTF_8)) {
            for (int i = 0; i < 8; i++) {
                w.write(JSON.createObjectNode().put("id", "b-" + i).put("text", "gzipped " + i + ": for (int j = 0; j < "
                        + i + "; j++) { sum += j; }").toString() + "\n");
            }
        }
        Files.writeString(files.resolve("c.txt"), "A plain text file is one document, named by its path.\n");
        Files.writeString(files.resolve("d.md"), "# Notes\n\nSo is a *Markdown* file.\n");
    }

    @AfterAll
    static void stop() {
        spark.stop();
        ExecutorModels.closeIdle();
    }

    @Test
    void sameOutputsAsBltIngestAndParquetRows() throws IOException {
        Path out = tmp.resolve("spark");
        Path rowsOut = tmp.resolve("rows");
        assertSameAsBltIngest(dataset, out, rowsOut, DOCS, 0);

        List<Row> parquet = spark.read().parquet(rowsOut.toString()).collectAsList();
        assertEquals(DOCS, parquet.size());
        for (Row r : parquet) {
            String name = OutputNames.forId(r.getAs("id"));
            try (SafeTensorsFile f = SafeTensorsFile.open(out.resolve(IngestFormat.tensorsFile(name)))) {
                assertArrayEquals(f.readFloats(IngestFormat.ENTROPIES), floats(r.getList(r.fieldIndex("entropies"))),
                        name);
                long[] starts = f.readLongs(IngestFormat.PATCH_INDICES);
                List<Integer> indices = r.getList(r.fieldIndex("patch_indices"));
                assertArrayEquals(starts, indices.stream().mapToLong(Integer::longValue).toArray(), name);
                assertEquals(starts.length, r.getList(r.fieldIndex("patch_embeddings")).size(), name);
            }
        }
    }

    @Test
    void jsonlAndPlainFilesGiveTheSameOutputsAsBltIngest() throws IOException {
        // with a calibrated threshold: the driver's calibration is blt ingest's, so the patches are the same too
        IngestSettings calibrated = IngestSettings.NONE.overriddenBy(new IngestSettings(null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, 3.0, 4, null));
        Path out = tmp.resolve("files-spark");
        assertSameAsBltIngest(files, out, tmp.resolve("files-rows"), FILE_DOCS, 1, calibrated);
        try (Stream<Path> listed = Files.list(out)) {
            Path sidecar = listed.filter(p -> p.toString().endsWith(IngestFormat.SIDECAR_SUFFIX)).findFirst().orElseThrow();
            assertEquals("--target-patch-size 3.0 on the first 4 documents",
                    JSON.readTree(sidecar.toFile()).get(IngestFormat.PATCHING).get("threshold_source").asText());
        }
    }

    @Test
    void aThresholdAndATargetPatchSizeAreAUsageError() {
        TestSpark.assertOneLineError(() -> SparkIngestMain.run("--input", files.toString(), "--output",
                tmp.resolve("both").toString(), "--threshold", "1", "--target-patch-size", "4"),
                "--threshold and --target-patch-size");
    }

    @Test
    void resubmittedJobAfterAFailureFinishesWithoutDuplicates() throws Exception {
        assertResubmissionFinishes(dataset, tmp.resolve("resubmitted"), DOCS, 0);
    }

    @Test
    void resubmittedFileJobAfterAFailureFinishesWithoutDuplicates() throws Exception {
        assertResubmissionFinishes(files, tmp.resolve("files-resubmitted"), FILE_DOCS, 1);
    }

    /** Nothing is created, and no session started, for a missing input or an output that is a file. */
    @Test
    void aMissingInputOrAFileAsOutputIsRefusedBeforeTheJobStarts() throws IOException {
        TestSpark.assertInputAndOutputCheckedFirst(SparkIngestMain::run, tmp.resolve("nope.parquet"), dataset, tmp);
    }

    /**
     * Every run resumes, so a run with other settings would keep the earlier documents: --overwrite removes them
     * (a failed job's too, which no manifest lists) and the manifest first.
     */
    @Test
    void overwriteRemovesTheEarlierRunsDocumentsAndManifest() throws IOException {
        Path earlier = tmp.resolve("earlier.jsonl");
        Files.writeString(earlier, "{\"id\": \"x\", \"text\": \"an earlier document\"}\n"
                + "{\"id\": \"y\", \"text\": \"another one\"}\n");
        Path later = tmp.resolve("later.jsonl");
        Files.writeString(later, "{\"id\": \"z\", \"text\": \"the only document now\"}\n");
        Path out = tmp.resolve("overwritten");
        TestSpark.Messages messages = new TestSpark.Messages();
        new SparkIngestJob(spark, SparkIngestOptions.of(settings(earlier, out), null, 2, 0), messages.stream).run();
        assertTrue(Files.exists(out.resolve("x.metadata.json")));
        Files.writeString(out.resolve("notes.txt"), "not an output");

        IngestSettings overwrite = settings(later, out).overriddenBy(new IngestSettings(null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                true, null, null, null, null));
        SparkIngestJob.Summary s = new SparkIngestJob(spark, SparkIngestOptions.of(overwrite, null, 2, 0),
                messages.stream).run();
        assertArrayEquals(new long[]{1, 0, 0}, new long[]{s.written(), s.existing(), s.failed()});
        try (Stream<Path> listed = Files.list(out)) {
            assertEquals(List.of("notes.txt", "spark-manifest", "z.metadata.json", "z.safetensors"),
                    listed.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertEquals(1, spark.read().parquet(out.resolve(SparkIngestJob.MANIFEST_DIR).toString()).count());
    }

    /** Runs both engines on {@code input}: the same documents fail, and the others have identical files. */
    private static void assertSameAsBltIngest(Path input, Path out, Path rowsOut, int docs, int bad) throws IOException {
        assertSameAsBltIngest(input, out, rowsOut, docs, bad, IngestSettings.NONE);
    }

    private static void assertSameAsBltIngest(Path input, Path out, Path rowsOut, int docs, int bad,
                                              IngestSettings extra) throws IOException {
        Path single = out.resolveSibling(out.getFileName() + "-single");
        TestSpark.Messages messages = new TestSpark.Messages();
        IngestRun.Summary reference = new IngestRun(IngestOptions.of(settings(input, single).overriddenBy(extra)),
                messages.stream, false).run();
        assertEquals(docs, reference.documents());
        assertEquals(bad, reference.failed());

        SparkIngestJob.Summary s = new SparkIngestJob(spark, SparkIngestOptions.of(
                settings(input, out).overriddenBy(extra), rowsOut.toString(), 3, 0), messages.stream).run();
        assertArrayEquals(new long[]{docs, 0, bad}, new long[]{s.written(), s.existing(), s.failed()});
        assertFailuresReported(messages, bad);

        List<String> names;
        try (Stream<Path> listed = Files.list(single)) {
            names = listed.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(IngestFormat.SIDECAR_SUFFIX))
                    .map(n -> n.substring(0, n.length() - IngestFormat.SIDECAR_SUFFIX.length())).sorted().toList();
        }
        assertEquals(docs, names.size());
        assertTrue(names.stream().anyMatch(n -> n.contains("%23")), "the id-less document is named <file>#<row>");
        for (String name : names) {
            // the sidecars (id, source file, row, ordinal, segments, counts) are identical; tensors bitwise or nearly
            JsonNode a = JSON.readTree(single.resolve(IngestFormat.sidecarFile(name)).toFile());
            JsonNode b = JSON.readTree(out.resolve(IngestFormat.sidecarFile(name)).toFile());
            assertEquals(without(a, "entropy_stats"), without(b, "entropy_stats"), name);
            try (SafeTensorsFile fa = SafeTensorsFile.open(single.resolve(IngestFormat.tensorsFile(name)));
                 SafeTensorsFile fb = SafeTensorsFile.open(out.resolve(IngestFormat.tensorsFile(name)))) {
                assertEquals(fa.metadata(), fb.metadata(), name);
                for (String t : List.of(IngestFormat.TOKENS, IngestFormat.PATCH_INDICES, IngestFormat.PATCH_LENGTHS,
                        IngestFormat.PATCH_MASK)) {
                    assertArrayEquals(fa.readLongs(t), fb.readLongs(t), name + " " + t);
                }
                for (String t : List.of(IngestFormat.ENTROPIES, IngestFormat.PROMINENCE, IngestFormat.EMBEDDINGS,
                        IngestFormat.PATCH_EMBEDDINGS, IngestFormat.PATCH_PROMINENCE, IngestFormat.PATCH_ENTROPIES)) {
                    assertArrayEquals(fa.readFloats(t), fb.readFloats(t), 1e-4f, name + " " + t);
                }
            }
        }
    }

    /** A job whose tasks fail after 3 documents, then the same job again: it writes only what is missing. */
    private static void assertResubmissionFinishes(Path input, Path out, int docs, int bad) throws Exception {
        TestSpark.withSparkLogOff(() -> assertResubmissionFinishesQuietly(input, out, docs, bad));
    }

    private static void assertResubmissionFinishesQuietly(Path input, Path out, int docs, int bad) throws IOException {
        Path rowsOut = out.resolveSibling(out.getFileName() + "-rows");
        TestSpark.Messages messages = new TestSpark.Messages();
        assertThrows(Exception.class, () -> job(input, out, rowsOut, 3, messages.stream).run());
        long before;
        try (Stream<Path> listed = Files.list(out)) {
            before = listed.filter(p -> p.toString().endsWith(IngestFormat.SIDECAR_SUFFIX)).count();
        }
        assertTrue(before > 0 && before < docs, "the failed job left " + before + " documents");

        SparkIngestJob.Summary s = job(input, out, rowsOut, 0, messages.stream).run();
        assertFailuresReported(messages, bad);
        // tasks of the aborted job still running when it was counted may have written a few more
        assertTrue(s.existing() >= before, s.existing() + " skipped, " + before + " were there");
        assertEquals(docs - s.existing(), s.written());
        assertEquals(bad, s.failed());
        Map<String, Integer> seen = new HashMap<>();
        for (Row r : spark.read().parquet(rowsOut.toString()).select("id").collectAsList()) {
            seen.merge(r.getString(0), 1, Integer::sum);
        }
        assertEquals(docs, seen.size(), "every document once");
        assertTrue(seen.values().stream().allMatch(n -> n == 1), "no document twice: " + seen);
    }

    private static SparkIngestJob job(Path input, Path out, Path rowsOut, int failAfter, PrintStream err) {
        return new SparkIngestJob(spark, SparkIngestOptions.of(settings(input, out), rowsOut.toString(), 3, failAfter),
                err);
    }

    /** The failed documents are named on stderr; the only one in these inputs is line 3 of a.jsonl. */
    private static void assertFailuresReported(TestSpark.Messages messages, int bad) {
        if (bad > 0) {
            assertTrue(messages.text().contains("spark-ingest: failed documents"), messages.text());
            assertTrue(messages.text().contains("a.jsonl: line 3: invalid JSON"), messages.text());
        }
    }

    private static IngestSettings settings(Path input, Path out) {
        // float32 storage: the two engines batch differently, and bf16 would round their round-off differences apart
        return new IngestSettings(List.of(input.toString()), out.toString(), null, null, null, null, null, null, null,
                null, null, null, null, null, "f32", 4, null, null, true, null, null, null, null, null, null, null, null);
    }

    private static JsonNode without(JsonNode n, String field) {
        return ((com.fasterxml.jackson.databind.node.ObjectNode) n.deepCopy()).without(field);
    }

    private static float[] floats(List<Float> v) {
        float[] out = new float[v.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = v.get(i);
        }
        return out;
    }
}
