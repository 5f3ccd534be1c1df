package dev.blt.data.dataset;

import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParquetSourceTest {
    @TempDir
    Path dir;

    private static final SourceOptions FINEWEB = SourceOptions.defaults().withIdField("id");

    @Test
    void readsEveryRowOfAFineWebEduShardInOrder() throws Exception {
        List<FineWebRow> rows = FineWebRow.sample(53, 1);
        Path shard = dir.resolve("000_00000.parquet");
        TestFiles.writeParquet(shard, rows, 10);

        List<Document> docs = TestFiles.readAll(List.of(shard.toString()),
                FINEWEB.withBatchSize(7).withFields(List.of("url", "token_count", "score", "no_such_column")));

        assertEquals(rows.size(), docs.size());
        for (int i = 0; i < rows.size(); i++) {
            FineWebRow r = rows.get(i);
            Document d = docs.get(i);
            assertEquals(r.id(), d.id());
            assertEquals(r.text(), d.text());
            assertArrayEquals(TestFiles.utf8(r.text()), d.bytes());
            assertEquals(i, d.row());
            assertEquals(i, d.ordinal());
            assertEquals(shard.toString(), d.file());
            assertEquals(r.url(), d.fields().get("url"));
            assertEquals(r.tokenCount(), d.fields().get("token_count"));
            assertEquals(r.score(), d.fields().get("score"));
            assertFalse(d.fields().containsKey("dump"), "only the asked-for fields are read");
            assertFalse(d.fields().containsKey("no_such_column"));
        }
    }

    @Test
    void defaultIdFollowsUpstreamFieldOrderAndFallsBackToFileAndRow() throws Exception {
        List<FineWebRow> rows = new ArrayList<>(FineWebRow.sample(3, 2));
        FineWebRow r = rows.get(1);
        rows.set(1, new FineWebRow(r.text(), null, r.dump(), null, r.tokenCount(), r.score()));
        Path shard = dir.resolve("s.parquet");
        TestFiles.writeParquet(shard, rows, 10);

        List<Document> docs = TestFiles.readAll(List.of(shard.toString()), SourceOptions.defaults());
        // upstream's sample_id rule takes url before id; a row with neither gets <file>#<row>
        assertEquals(rows.get(0).url(), docs.get(0).id());
        assertEquals(shard.toString().replace('\\', '/') + "#1", docs.get(1).id());
        assertEquals(rows.get(2).url(), docs.get(2).id());

        DatasetException e = assertThrows(DatasetException.class,
                () -> TestFiles.readAll(List.of(shard.toString()), FINEWEB));
        assertEquals(new BadInput(shard.toString(), "row 1", "id column 'id' is null"), e.problem());
    }

    @Test
    void scansBatchByBatchWithBoundedArrowMemory() throws Exception {
        // 4000 docs of ~2 KB: 8 MB of text; batches of 50 rows must never hold more than a small part of it
        List<FineWebRow> rows = new ArrayList<>();
        String filler = "x".repeat(2000);
        for (int i = 0; i < 4000; i++) {
            rows.add(new FineWebRow(i + filler, "id-" + i, "d", "u" + i, 1L, 1.0));
        }
        Path shard = dir.resolve("big.parquet");
        TestFiles.writeParquet(shard, rows, 500);
        long totalText = rows.stream().mapToLong(r -> r.text().length()).sum();

        try (RootAllocator alloc = new RootAllocator()) {
            long count = 0;
            try (DocumentStream docs = Sources.open(List.of(shard.toString()),
                    FINEWEB.withBatchSize(50).withAllocator(alloc))) {
                for (Document d : docs) {
                    assertEquals("id-" + count, d.id());
                    count++;
                }
            }
            assertEquals(rows.size(), count);
            long peak = alloc.getPeakMemoryAllocation();
            assertTrue(peak > 0, "Arrow memory was used");
            assertTrue(peak < totalText / 20, "peak Arrow memory " + peak + " for " + totalText + " bytes of text");
            assertEquals(0, alloc.getAllocatedMemory(), "everything released on close");
        }
    }

    @Test
    void binaryTextColumnGivesBytesWithoutText() throws Exception {
        Path shard = dir.resolve("bin.parquet");
        org.apache.arrow.vector.types.pojo.Schema schema = new org.apache.arrow.vector.types.pojo.Schema(List.of(
                org.apache.arrow.vector.types.pojo.Field.nullable("image",
                        org.apache.arrow.vector.types.pojo.ArrowType.Binary.INSTANCE)));
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0, (byte) 0xff, 1, 2};
        TestFiles.writeParquet(shard, schema, new TestFiles.Batches() {
            boolean done;

            @Override
            public boolean next(org.apache.arrow.vector.VectorSchemaRoot root) {
                if (done) {
                    return false;
                }
                done = true;
                root.allocateNew();
                ((org.apache.arrow.vector.VarBinaryVector) root.getVector(0)).setSafe(0, png);
                root.setRowCount(1);
                return true;
            }
        });
        List<Document> docs = TestFiles.readAll(List.of(shard.toString()), SourceOptions.defaults().withTextField("image"));
        assertEquals(1, docs.size());
        assertArrayEquals(png, docs.get(0).bytes());
        assertNull(docs.get(0).text());
    }

    @Test
    void missingTextColumnNamesFileAndColumns() throws Exception {
        Path shard = dir.resolve("renamed.parquet");
        TestFiles.writeParquet(shard, TestFiles.schema("body"), TestFiles.batches(FineWebRow.sample(3, 3), 10, null));
        DatasetException e = assertThrows(DatasetException.class,
                () -> TestFiles.readAll(List.of(shard.toString()), FINEWEB));
        assertEquals(shard.toString() + ": no column 'text' or 'content' (columns: body, id, dump, url, token_count, score)",
                e.getMessage());
        assertEquals(3, TestFiles.readAll(List.of(shard.toString()), FINEWEB.withTextField("body")).size());
    }

    @Test
    void nullTextIsABadRowThatCanBeSkipped() throws Exception {
        List<FineWebRow> rows = new ArrayList<>(FineWebRow.sample(5, 4));
        rows.set(3, new FineWebRow(null, "x", null, null, null, null));
        Path shard = dir.resolve("nulls.parquet");
        TestFiles.writeParquet(shard, rows, 2);

        DatasetException e = assertThrows(DatasetException.class,
                () -> TestFiles.readAll(List.of(shard.toString()), FINEWEB));
        assertEquals(shard + ": row 3: 'text' is null", e.getMessage());

        List<BadInput> reported = new ArrayList<>();
        List<Document> docs = TestFiles.readAll(List.of(shard.toString()), FINEWEB.skipAndReportTo(reported::add));
        assertEquals(List.of(0L, 1L, 2L, 4L), docs.stream().map(Document::row).collect(java.util.stream.Collectors.toList()));
        assertEquals(List.of(new BadInput(shard.toString(), "row 3", "'text' is null")), reported);
    }

    @Test
    void invalidUtf8InAStringColumnIsReportedWithItsRowAndOffset() throws Exception {
        List<FineWebRow> rows = FineWebRow.sample(3, 5);
        List<byte[]> raw = new ArrayList<>();
        for (FineWebRow r : rows) {
            raw.add(TestFiles.utf8(r.text()));
        }
        raw.set(2, new byte[]{'o', 'k', (byte) 0xC3, '('});
        Path shard = dir.resolve("badutf8.parquet");
        TestFiles.writeParquet(shard, TestFiles.schema("text"), TestFiles.batches(rows, 10, raw));

        List<BadInput> reported = new ArrayList<>();
        List<Document> docs = TestFiles.readAll(List.of(shard.toString()), FINEWEB.skipAndReportTo(reported::add));
        assertEquals(2, docs.size());
        assertEquals(List.of(new BadInput(shard.toString(), "row 2", "'text' is not valid UTF-8 at byte 2")), reported);
    }

    @Test
    void corruptAndForeignShardsAreReportedAndTheOtherShardsStillRead() throws Exception {
        List<FineWebRow> rows = FineWebRow.sample(20, 6);
        Path good = dir.resolve("a_good.parquet");
        TestFiles.writeParquet(good, rows, 10);
        byte[] bytes = Files.readAllBytes(good);
        Path truncated = dir.resolve("b_truncated.parquet");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
        Path garbage = dir.resolve("c_garbage.parquet");
        Files.writeString(garbage, "this is not parquet");
        Path empty = dir.resolve("d_empty.parquet");
        Files.write(empty, new byte[0]);
        Path good2 = dir.resolve("e_good.parquet");
        Files.write(good2, bytes);

        List<BadInput> reported = new ArrayList<>();
        List<Document> docs = TestFiles.readAll(List.of(dir.resolve("*.parquet").toString()),
                FINEWEB.skipAndReportTo(reported::add));
        assertEquals(40, docs.size());
        assertEquals(3, reported.size(), reported.toString());
        assertEquals(truncated.toString(), reported.get(0).file());
        assertTrue(reported.get(0).wholeFile());
        assertTrue(reported.get(0).message().startsWith("not a readable Parquet file: "), reported.get(0).message());
        assertEquals(new BadInput(garbage.toString(), null, "not a Parquet file (no PAR1 magic)"), reported.get(1));
        assertEquals(new BadInput(empty.toString(), null, "empty file (0 bytes)"), reported.get(2));

        DatasetException e = assertThrows(DatasetException.class,
                () -> TestFiles.readAll(List.of(truncated.toString()), FINEWEB));
        assertTrue(e.getMessage().startsWith(truncated + ": not a readable Parquet file"), e.getMessage());
    }

    @Test
    void arrowDatasetOutputWithoutExtensionIsRecognisedByMagic() throws Exception {
        Path shard = dir.resolve("data_0");
        TestFiles.writeParquet(shard, FineWebRow.sample(4, 7), 10);
        assertEquals(4, TestFiles.readAll(List.of(shard.toString()), FINEWEB).size());
    }
}
