package dev.blt.data.dataset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParquetRowGroupsTest {
    @TempDir
    Path dir;

    private static final SourceOptions FINEWEB = SourceOptions.defaults().withIdField("id");
    private final List<FineWebRow> rows = FineWebRow.sample(300, 1);

    /** 300 rows in six row groups of 50 (the writer makes one group per batch), then groups {@code bad} damaged. */
    private Path shard(int... bad) throws IOException {
        Path shard = dir.resolve("groups.parquet");
        TestFiles.writeParquet(shard, rows, 50);
        try (FileChannel ch = FileChannel.open(shard, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            List<ParquetFooter.RowGroup> groups = ParquetFooter.read(ch).groups();
            assertEquals(6, groups.size());
            for (int g : bad) {
                ParquetFooter.RowGroup group = groups.get(g);
                // the page headers and data of every column chunk of the group become 0xFF
                byte[] junk = new byte[(int) (group.end() - group.start())];
                Arrays.fill(junk, (byte) 0xff);
                ch.write(ByteBuffer.wrap(junk), group.start());
            }
        }
        return shard;
    }

    private static List<Long> rowsOf(List<Document> docs) {
        return docs.stream().map(Document::row).collect(Collectors.toList());
    }

    private static List<Long> range(long from, long to) {
        return LongStream.range(from, to).boxed().collect(Collectors.toList());
    }

    @Test
    void aDamagedRowGroupCostsOnlyItsOwnRows() throws IOException {
        Path shard = shard(1);
        List<BadInput> bad = new ArrayList<>();
        List<Document> docs = TestFiles.readAll(List.of(shard.toString()),
                FINEWEB.withBatchSize(20).skipAndReportTo(bad::add));
        List<Long> expected = new ArrayList<>(range(0, 50));
        expected.addAll(range(100, 300));
        assertEquals(expected, rowsOf(docs));
        assertEquals(expected, docs.stream().map(Document::ordinal).collect(Collectors.toList()),
                "records of good groups keep their ordinals");
        for (Document d : docs) {
            assertEquals(rows.get((int) d.row()).id(), d.id());
            assertEquals(rows.get((int) d.row()).text(), d.text());
        }
        assertEquals(1, bad.size(), bad.toString());
        assertEquals(shard.toString(), bad.get(0).file());
        assertEquals("row group 1", bad.get(0).position());
        assertTrue(bad.get(0).message().startsWith("unreadable, its 50 rows lost: "), bad.get(0).message());
        assertEquals(300, Sources.records(Sources.files(List.of(shard.toString())).get(0), FINEWEB));
    }

    @Test
    void laterDamagedGroupsAreFoundGroupByGroup() throws IOException {
        Path shard = shard(1, 4, 5);
        List<BadInput> bad = new ArrayList<>();
        List<Document> docs = TestFiles.readAll(List.of(shard.toString()), FINEWEB.skipAndReportTo(bad::add));
        List<Long> expected = new ArrayList<>(range(0, 50));
        expected.addAll(range(100, 200));
        assertEquals(expected, rowsOf(docs));
        assertEquals(List.of("row group 1", "row group 4", "row group 5"),
                bad.stream().map(BadInput::position).collect(Collectors.toList()));
    }

    @Test
    void everyShardReportsTheLostGroupAndTheShardsStillPartitionTheRest() throws IOException {
        Path shard = shard(2);
        List<Long> all = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            List<BadInput> bad = new ArrayList<>();
            List<Document> docs = TestFiles.readAll(Sources.source(List.of(shard.toString()),
                    FINEWEB.skipAndReportTo(bad::add)).shard(i, 3));
            for (Document d : docs) {
                assertEquals(i, d.ordinal() % 3);
            }
            all.addAll(rowsOf(docs));
            assertEquals(List.of("row group 2"), bad.stream().map(BadInput::position).collect(Collectors.toList()));
        }
        all.sort(null);
        List<Long> expected = new ArrayList<>(range(0, 100));
        expected.addAll(range(150, 300));
        assertEquals(expected, all);
    }

    @Test
    void underFailTheDamagedGroupEndsTheStreamAndIsNamed() throws IOException {
        Path shard = shard(3);
        DatasetException e = assertThrows(DatasetException.class,
                () -> TestFiles.readAll(List.of(shard.toString()), FINEWEB));
        assertEquals("row group 3", e.problem().position());
        assertTrue(e.getMessage().startsWith(shard + ": row group 3: unreadable, its 50 rows lost: "), e.getMessage());
    }
}
