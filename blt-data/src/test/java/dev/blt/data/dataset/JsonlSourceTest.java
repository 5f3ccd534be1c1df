package dev.blt.data.dataset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonlSourceTest {
    @TempDir
    Path dir;

    private static final SourceOptions FINEWEB = SourceOptions.defaults().withIdField("id");

    @ParameterizedTest
    @ValueSource(strings = {"shard.jsonl", "shard.jsonl.gz", "shard.jsonl.zst", "shard.ndjson"})
    void readsPlainAndCompressedJsonl(String name) throws Exception {
        List<FineWebRow> rows = FineWebRow.sample(40, 11);
        Path file = dir.resolve(name);
        TestFiles.writeJsonl(file, rows);

        List<Document> docs = TestFiles.readAll(List.of(file.toString()),
                FINEWEB.withFields(List.of("url", "token_count", "score")));
        assertEquals(rows.size(), docs.size());
        for (int i = 0; i < rows.size(); i++) {
            Document d = docs.get(i);
            assertEquals(rows.get(i).id(), d.id());
            assertEquals(rows.get(i).text(), d.text());
            assertArrayEquals(TestFiles.utf8(rows.get(i).text()), d.bytes());
            assertEquals(i, d.row());
            assertEquals(rows.get(i).url(), d.fields().get("url"));
            assertEquals(rows.get(i).tokenCount(), d.fields().get("token_count"));
            assertEquals(rows.get(i).score(), d.fields().get("score"));
        }
    }

    @Test
    void followsUpstreamSampleIdAndContentConventions() throws Exception {
        Path file = dir.resolve("upstream.jsonl");
        Files.writeString(file, String.join("\n",
                "{\"url\":\"u1\",\"sample_id\":\"s1\",\"text\":\"a\"}",
                "{\"id\":7,\"title\":\"T\",\"content\":\"b\"}",
                "{\"id\":7,\"text\":\"c\"}",
                "{\"text\":\"d\",\"content\":\"ignored\"}"));   // no trailing newline
        List<Document> docs = TestFiles.readAll(List.of(file.toString()), SourceOptions.defaults());
        assertEquals(List.of("s1", "T", "7", file + "#3"), docs.stream().map(Document::id).collect(Collectors.toList()));
        assertEquals(List.of("a", "b", "c", "d"), docs.stream().map(Document::text).collect(Collectors.toList()));
    }

    @Test
    void blankLinesAndCrlfAreNotRecordsButKeepLineNumbers() throws Exception {
        Path file = dir.resolve("crlf.jsonl");
        Files.writeString(file, "{\"text\":\"one\"}\r\n\r\n   \n{\"text\":\"two\"}\r\n\n");
        List<Document> docs = TestFiles.readAll(List.of(file.toString()), SourceOptions.defaults());
        assertEquals(List.of("one", "two"), docs.stream().map(Document::text).collect(Collectors.toList()));
        assertEquals(List.of(0L, 3L), docs.stream().map(Document::row).collect(Collectors.toList()));
        assertEquals(List.of(0L, 1L), docs.stream().map(Document::ordinal).collect(Collectors.toList()));
    }

    @Test
    void everyKindOfBadLineIsReportedWithFileAndLine() throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(bytes("{\"text\":\"good 1\"}\n"));
        b.writeBytes(bytes("{\"text\": \"unterminated}\n"));                       // line 2
        b.writeBytes(new byte[]{'{', '"', 't', 'e', 'x', 't', '"', ':', '"', (byte) 0xff, '"', '}', '\n'}); // line 3
        b.writeBytes(bytes("[1, 2]\n"));                                             // line 4
        b.writeBytes(bytes("{\"body\":\"x\"}\n"));                                   // line 5
        b.writeBytes(bytes("{\"text\": 42}\n"));                                     // line 6
        b.writeBytes(bytes("{\"text\":\"\\ud800 lone\"}\n"));                        // line 7
        b.writeBytes(bytes("{\"text\":\"a\"} {\"text\":\"b\"}\n"));                  // line 8
        b.writeBytes(bytes("{\"text\":\"good 2\"}\n"));
        Path file = dir.resolve("bad.jsonl");
        Files.write(file, b.toByteArray());

        List<BadInput> reported = new ArrayList<>();
        List<Document> docs = TestFiles.readAll(List.of(file.toString()),
                SourceOptions.defaults().skipAndReportTo(reported::add));
        assertEquals(List.of("good 1", "good 2"), docs.stream().map(Document::text).collect(Collectors.toList()));
        assertEquals(List.of("line 2", "line 3", "line 4", "line 5", "line 6", "line 7", "line 8"),
                reported.stream().map(BadInput::position).collect(Collectors.toList()));
        assertTrue(reported.stream().allMatch(p -> p.file().equals(file.toString())));
        assertTrue(reported.get(0).message().startsWith("invalid JSON: "), reported.get(0).message());
        assertTrue(reported.get(1).message().contains("Invalid UTF-8"), reported.get(1).message());
        assertEquals("not a JSON object but array", reported.get(2).message());
        assertEquals("no field 'text' or 'content'", reported.get(3).message());
        assertEquals("'text' is number, not a string", reported.get(4).message());
        assertEquals("'text' is not valid Unicode: unpaired surrogate \\ud800 at character 0", reported.get(5).message());
        assertTrue(reported.get(6).message().startsWith("invalid JSON: "), reported.get(6).message());

        DatasetException e = assertThrows(DatasetException.class,
                () -> TestFiles.readAll(List.of(file.toString()), SourceOptions.defaults()));
        assertTrue(e.getMessage().startsWith(file + ": line 2: invalid JSON: "), e.getMessage());
    }

    @Test
    void overlongLineIsSkippedWithoutHoldingIt() throws Exception {
        Path file = dir.resolve("long.jsonl");
        Files.writeString(file, "{\"text\":\"" + "y".repeat(5000) + "\"}\n{\"text\":\"short\"}\n");
        List<BadInput> reported = new ArrayList<>();
        List<Document> docs = TestFiles.readAll(List.of(file.toString()),
                SourceOptions.defaults().withMaxDocumentBytes(1000).skipAndReportTo(reported::add));
        assertEquals(List.of("short"), docs.stream().map(Document::text).collect(Collectors.toList()));
        assertEquals(List.of(new BadInput(file.toString(), "line 1", "longer than the maximum of 1000 bytes")), reported);
    }

    @Test
    void documentsLongerThanJacksonsDefaultStringLimitAreRead() throws Exception {
        String text = "z".repeat(20_000_001);
        Path file = dir.resolve("huge.jsonl");
        Files.writeString(file, "{\"text\":\"" + text + "\"}\n");
        List<Document> docs = TestFiles.readAll(List.of(file.toString()), SourceOptions.defaults());
        assertEquals(text, docs.get(0).text());
    }

    @Test
    void truncatedGzipKeepsTheDocumentsBeforeAndReportsTheRest() throws Exception {
        List<FineWebRow> rows = FineWebRow.sample(2000, 12);
        Path whole = dir.resolve("whole.jsonl.gz");
        TestFiles.writeJsonl(whole, rows);
        byte[] gz = Files.readAllBytes(whole);
        Path cut = dir.resolve("cut.jsonl.gz");
        Files.write(cut, Arrays.copyOf(gz, gz.length / 2));

        List<BadInput> reported = new ArrayList<>();
        List<Document> docs = TestFiles.readAll(List.of(cut.toString()), FINEWEB.skipAndReportTo(reported::add));
        assertTrue(docs.size() > 100 && docs.size() < rows.size(), "read " + docs.size());
        for (int i = 0; i < docs.size(); i++) {
            assertEquals(rows.get(i).text(), docs.get(i).text());
        }
        assertEquals(1, reported.size());
        BadInput p = reported.get(0);
        assertTrue(p.wholeFile());
        // the line after the last good one may be partial: it is either reported here or as bad JSON
        assertTrue(p.message().startsWith("corrupt or truncated after line "), p.message());
    }

    @Test
    void emptyFilesAreBadInput() throws Exception {
        Path zero = dir.resolve("zero.jsonl");
        Files.write(zero, new byte[0]);
        Path blank = dir.resolve("blank.jsonl.gz");
        TestFiles.writeCompressed(blank, bytes("\n\n"));
        List<BadInput> reported = new ArrayList<>();
        List<Document> docs = TestFiles.readAll(List.of(zero.toString(), blank.toString()),
                SourceOptions.defaults().skipAndReportTo(reported::add));
        assertEquals(0, docs.size());
        assertEquals(List.of(new BadInput(zero.toString(), null, "empty file (0 bytes)"),
                new BadInput(blank.toString(), null, "empty: no documents")), reported);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
