package dev.blt.data.dataset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SourcesTest {
    @TempDir
    Path dir;

    @Test
    void inputsThatNameNothingAreClearErrors() throws Exception {
        SourceOptions o = SourceOptions.defaults();
        assertEquals(dir.resolve("nope.parquet") + ": no such file or directory",
                assertThrows(DatasetException.class, () -> Sources.source(List.of(dir.resolve("nope.parquet").toString()), o))
                        .getMessage());
        assertEquals(dir.resolve("*.parquet") + ": no file matches",
                assertThrows(DatasetException.class, () -> Sources.source(List.of(dir.resolve("*.parquet").toString()), o))
                        .getMessage());
        Files.createDirectories(dir.resolve("empty"));
        assertEquals(dir.resolve("empty") + ": directory holds no files",
                assertThrows(DatasetException.class, () -> Sources.source(List.of(dir.resolve("empty").toString()), o))
                        .getMessage());
        assertEquals("no input given",
                assertThrows(DatasetException.class, () -> Sources.source(List.of(), o)).getMessage());
    }

    @Test
    void aStreamIsIterableOnceAndASourceReopens() throws Exception {
        Path f = dir.resolve("a.jsonl");
        Files.writeString(f, "{\"text\":\"a\"}\n{\"text\":\"b\"}\n");
        DocumentSource source = Sources.source(List.of(f.toString()), SourceOptions.defaults());
        try (DocumentStream docs = source.open()) {
            Iterator<Document> it = docs.iterator();
            assertEquals("a", it.next().text());
            assertThrows(IllegalStateException.class, docs::iterator);
            assertEquals("b", it.next().text());
            assertFalse(it.hasNext());
            assertThrows(NoSuchElementException.class, it::next);
        }
        assertEquals(2, TestFiles.readAll(source).size());
    }

    @Test
    void closingTheJavaStreamClosesTheDocumentStreamAndItsArrowMemory() throws Exception {
        Path f = dir.resolve("a.arrow");
        TestFiles.writeArrow(f, FineWebRow.sample(50, 41), 10, true);
        try (org.apache.arrow.memory.RootAllocator alloc = new org.apache.arrow.memory.RootAllocator()) {
            AtomicLong seen = new AtomicLong();
            try (Stream<Document> s = Sources.open(List.of(f.toString()), SourceOptions.defaults().withAllocator(alloc))
                    .stream()) {
                s.limit(5).forEach(d -> seen.incrementAndGet());
            }
            assertEquals(5, seen.get());
            assertEquals(0, alloc.getAllocatedMemory(), "a stream closed half way releases its batch");
        }
    }

    @Test
    void failPolicyNamesFileAndPositionAndStopsTheStream() throws Exception {
        Path f = dir.resolve("a.jsonl");
        Files.writeString(f, "{\"text\":\"a\"}\n{\"txt\":\"b\"}\n{\"text\":\"c\"}\n");
        try (DocumentStream docs = Sources.open(List.of(f.toString()), SourceOptions.defaults())) {
            Iterator<Document> it = docs.iterator();
            assertEquals("a", it.next().text());
            DatasetException e = assertThrows(DatasetException.class, it::next);
            assertEquals(f + ": line 2: no field 'text' or 'content'", e.getMessage());
            assertEquals(new BadInput(f.toString(), "line 2", "no field 'text' or 'content'"), e.problem());
            assertFalse(it.hasNext(), "a failed stream is closed");
        }
    }
}
