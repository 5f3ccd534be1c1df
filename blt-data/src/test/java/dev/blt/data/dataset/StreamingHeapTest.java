package dev.blt.data.dataset;

import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A Parquet shard larger than the heap of the JVM that reads it: only batches are ever in memory. */
class StreamingHeapTest {
    private static final int HEAP_MB = 64;
    private static final int DOC_BYTES = 16 * 1024;
    private static final int DOCS = 9600;   // 9600 x 16 KiB = 150 MiB of text

    @TempDir
    Path dir;

    @Test
    void readsAParquetShardLargerThanTheHeapInAForkedJvm(TestReporter report) throws Exception {
        Path shard = dir.resolve("large.parquet");
        CRC32 crc = new CRC32();
        writeRandomShard(shard, crc);
        assertTrue(Files.size(shard) > 2L * HEAP_MB * 1024 * 1024, "shard is " + Files.size(shard) + " bytes");

        String out = runForked(shard);
        report.publishEntry("forked -Xmx" + HEAP_MB + "m reader over " + Files.size(shard) + " bytes", out);
        assertEquals("docs=" + DOCS + " bytes=" + (long) DOCS * DOC_BYTES + " crc=" + crc.getValue(),
                out.substring(0, out.indexOf(" maxHeap=")));
        long maxHeap = Long.parseLong(out.replaceAll(".* maxHeap=(\\d+) .*", "$1"));
        assertTrue(maxHeap < Files.size(shard), "heap " + maxHeap + " is smaller than the shard");
    }

    /** Random lowercase text (incompressible enough), {@link #DOCS} rows in batches of 200. */
    private static void writeRandomShard(Path shard, CRC32 crc) throws IOException {
        Schema schema = new Schema(List.of(Field.nullable("text", ArrowType.Utf8.INSTANCE),
                Field.nullable("id", ArrowType.Utf8.INSTANCE)));
        SplittableRandom rnd = new SplittableRandom(7);
        byte[] text = new byte[DOC_BYTES];
        int[] next = {0};
        TestFiles.writeParquet(shard, schema, root -> {
            if (next[0] >= DOCS) {
                return false;
            }
            root.allocateNew();
            int n = Math.min(200, DOCS - next[0]);
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < text.length; k++) {
                    int c = rnd.nextInt(27);
                    text[k] = (byte) (c == 26 ? ' ' : 'a' + c);
                }
                crc.update(text);
                ((VarCharVector) root.getVector(0)).setSafe(i, text);
                ((VarCharVector) root.getVector(1)).setSafe(i, ("doc-" + (next[0] + i)).getBytes(StandardCharsets.UTF_8));
            }
            root.setRowCount(n);
            next[0] += n;
            return true;
        });
    }

    private static String runForked(Path shard) throws Exception {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx" + HEAP_MB + "m",
                "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"),
                CountDocumentsMain.class.getName(), shard.toString(), "256"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "forked reader finished");
        assertEquals(0, p.exitValue(), "forked reader failed:\n" + output);
        String last = output.strip();
        return last.substring(last.lastIndexOf('\n') + 1);
    }
}
