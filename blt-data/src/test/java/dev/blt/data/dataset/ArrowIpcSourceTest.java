package dev.blt.data.dataset;

import org.apache.arrow.vector.compression.CompressionUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArrowIpcSourceTest {
    @TempDir
    Path dir;

    private static final SourceOptions FINEWEB = SourceOptions.defaults().withIdField("id");

    /** Several batches, so a reader that stops after the first (datavec-arrow's bug) fails here. */
    @ParameterizedTest
    @CsvSource({"shard.arrow, true", "cache-00000.arrow, false", "noext, true", "shard.feather, true"})
    void readsEveryBatchOfIpcFilesAndStreams(String name, boolean fileFormat) throws Exception {
        List<FineWebRow> rows = FineWebRow.sample(95, 21);
        Path file = dir.resolve(name);
        TestFiles.writeArrow(file, rows, 20, fileFormat);

        List<Document> docs = TestFiles.readAll(List.of(file.toString()), FINEWEB.withFields(List.of("dump")));
        assertEquals(rows.size(), docs.size());
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(rows.get(i).id(), docs.get(i).id());
            assertEquals(rows.get(i).text(), docs.get(i).text());
            assertEquals(rows.get(i).dump(), docs.get(i).fields().get("dump"));
            assertEquals(i, docs.get(i).row());
        }
    }

    /** pyarrow's Feather V2 default is LZ4; ZSTD is the other codec IPC allows. */
    @ParameterizedTest
    @CsvSource({"lz4.feather, LZ4_FRAME, true", "zstd.arrow, ZSTD, false"})
    void readsCompressedRecordBatches(String name, CompressionUtil.CodecType codec, boolean fileFormat) throws Exception {
        List<FineWebRow> rows = FineWebRow.sample(45, 24);
        Path file = dir.resolve(name);
        TestFiles.writeArrow(file, TestFiles.schema("text"), TestFiles.batches(rows, 20, null), fileFormat, codec);
        List<Document> docs = TestFiles.readAll(List.of(file.toString()), FINEWEB);
        assertEquals(rows.stream().map(FineWebRow::text).collect(Collectors.toList()),
                docs.stream().map(Document::text).collect(Collectors.toList()));
    }

    @Test
    void truncatedStreamKeepsEarlierBatchesAndReportsTheFile() throws Exception {
        List<FineWebRow> rows = FineWebRow.sample(100, 22);
        Path whole = dir.resolve("whole.arrow");
        TestFiles.writeArrow(whole, rows, 10, false);
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = dir.resolve("cut.arrow");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length * 2 / 3));

        List<BadInput> reported = new ArrayList<>();
        List<Document> docs = TestFiles.readAll(List.of(cut.toString()), FINEWEB.skipAndReportTo(reported::add));
        assertTrue(docs.size() >= 50 && docs.size() < 70 && docs.size() % 10 == 0, "read " + docs.size());
        for (int i = 0; i < docs.size(); i++) {
            assertEquals(rows.get(i).id(), docs.get(i).id());
        }
        assertEquals(1, reported.size());
        assertEquals(cut.toString(), reported.get(0).file());
        assertTrue(reported.get(0).message().startsWith("unreadable at row " + docs.size() + ": "), reported.get(0).message());
    }

    @Test
    void fileFormatWithBrokenFooterIsReported() throws Exception {
        Path whole = dir.resolve("whole.arrow");
        TestFiles.writeArrow(whole, FineWebRow.sample(30, 23), 10, true);
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = dir.resolve("cut.arrow");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length - 20));
        List<BadInput> reported = new ArrayList<>();
        List<Document> docs = TestFiles.readAll(List.of(cut.toString()), FINEWEB.skipAndReportTo(reported::add));
        assertEquals(0, docs.size());
        assertEquals(1, reported.size());
        assertTrue(reported.get(0).message().startsWith("not a readable Arrow IPC file: "), reported.get(0).message());
    }
}
