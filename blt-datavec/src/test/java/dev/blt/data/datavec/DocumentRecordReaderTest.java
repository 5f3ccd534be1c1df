package dev.blt.data.datavec;

import dev.blt.data.dataset.DatasetException;
import dev.blt.data.dataset.Document;
import dev.blt.data.dataset.DocumentSource;
import dev.blt.data.dataset.DocumentStream;
import dev.blt.data.dataset.SourceOptions;
import dev.blt.data.dataset.Sources;
import org.datavec.api.records.Record;
import org.datavec.api.records.metadata.RecordMetaData;
import org.datavec.api.split.FileSplit;
import org.datavec.api.writable.BytesWritable;
import org.datavec.api.writable.Text;
import org.datavec.api.writable.Writable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DocumentRecordReaderTest {
    @TempDir
    Path dir;
    private DocumentSource source;
    private List<Document> expected;

    @BeforeEach
    void data() throws IOException {
        StringBuilder jsonl = new StringBuilder();
        for (int i = 0; i < 25; i++) {
            jsonl.append("{\"id\":\"doc-").append(i).append("\",\"text\":\"text n\\u00b0").append(i).append(" \\ud83c\\udf93\"}\n");
        }
        Files.writeString(dir.resolve("a.jsonl"), jsonl.toString());
        source = Sources.source(List.of(dir.resolve("a.jsonl").toString()), SourceOptions.defaults().withIdField("id"));
        try (DocumentStream s = source.open()) {
            expected = s.stream().collect(Collectors.toList());
        }
        assertEquals(25, expected.size());
    }

    @Test
    void recordsAreIdAndTextInSourceOrderAndResetRereads() {
        DocumentRecordReader reader = new DocumentRecordReader(source, Content.TEXT);
        for (int pass = 0; pass < 2; pass++) {
            List<List<Writable>> records = new ArrayList<>();
            while (reader.hasNext()) {
                records.add(reader.next());
            }
            assertEquals(expected.size(), records.size());
            for (int i = 0; i < records.size(); i++) {
                assertEquals(List.of(new Text("doc-" + i), new Text("text n\u00b0" + i + " \ud83c\udf93")), records.get(i));
            }
            assertTrue(reader.resetSupported());
            reader.reset();
        }
        reader.close();
    }

    @Test
    void bytesContentCarriesTheUtf8Bytes() {
        DocumentRecordReader reader = new DocumentRecordReader(source, Content.BYTES);
        List<Writable> first = reader.next();
        assertArrayEquals(expected.get(0).bytes(), ((BytesWritable) first.get(1)).getContent());
        reader.close();
    }

    @Test
    void metadataLoadsRecordsBack() {
        DocumentRecordReader reader = new DocumentRecordReader(source, Content.TEXT);
        List<Record> all = new ArrayList<>();
        while (reader.hasNext()) {
            all.add(reader.nextRecord());
        }
        assertEquals(dir.resolve("a.jsonl") + " row 7", all.get(7).getMetaData().getLocation());
        List<RecordMetaData> ask = List.of(all.get(20).getMetaData(), all.get(3).getMetaData(), all.get(20).getMetaData());
        List<Record> back = reader.loadFromMetaData(ask);
        assertEquals(List.of(all.get(20).getRecord(), all.get(3).getRecord(), all.get(20).getRecord()),
                back.stream().map(Record::getRecord).collect(Collectors.toList()));
        assertEquals(all.get(11).getRecord(), reader.loadFromMetaData(all.get(11).getMetaData()).getRecord());
        reader.close();
    }

    @Test
    void initializesFromAFileSplitOfADirectory() throws Exception {
        Path d = dir.resolve("files");
        Files.createDirectories(d);
        Files.writeString(d.resolve("x.txt"), "hello");
        Files.write(d.resolve("y.bin"), new byte[]{0, (byte) 0xff, 3});
        DocumentRecordReader reader = new DocumentRecordReader(SourceOptions.defaults(), Content.BYTES);
        reader.initialize(new FileSplit(d.toFile()));
        List<byte[]> contents = new ArrayList<>();
        while (reader.hasNext()) {
            contents.add(((BytesWritable) reader.next().get(1)).getContent());
        }
        reader.close();
        assertEquals(2, contents.size());
        List<String> asText = contents.stream().map(b -> new String(b, StandardCharsets.ISO_8859_1)).sorted()
                .collect(Collectors.toList());
        assertEquals(List.of(new String(new byte[]{0, (byte) 0xff, 3}, StandardCharsets.ISO_8859_1), "hello"), asText);

        DocumentRecordReader textReader = new DocumentRecordReader(SourceOptions.defaults(), Content.TEXT);
        textReader.initialize(new FileSplit(d.resolve("y.bin").toFile()));
        DatasetException e = assertThrows(DatasetException.class, textReader::next);
        assertTrue(e.getMessage().contains("has no text"), e.getMessage());
        textReader.close();
    }

    @Test
    void recordOfAStreamDecodesStrictly() throws Exception {
        DocumentRecordReader reader = new DocumentRecordReader(source, Content.TEXT);
        List<Writable> r = reader.record(dir.toUri(), new DataInputStream(new ByteArrayInputStream(
                "caf\u00e9".getBytes(StandardCharsets.UTF_8))));
        assertEquals(new Text("caf\u00e9"), r.get(1));
        assertThrows(IOException.class, () -> reader.record(dir.toUri(),
                new DataInputStream(new ByteArrayInputStream(new byte[]{(byte) 0xc3}))));
    }
}
