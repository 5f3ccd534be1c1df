package dev.blt.data.dataset;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shards of a mixed input (Parquet, JSONL.gz, Arrow, plain files, bad lines) are disjoint and complete. */
class ShardingTest {
    @TempDir
    Path dir;
    private List<String> inputs;
    private final List<BadInput> reported = new ArrayList<>();
    private SourceOptions options;

    @BeforeEach
    void mixedInputs() throws Exception {
        TestFiles.writeParquet(dir.resolve("a.parquet"), FineWebRow.sample(37, 31), 8);
        TestFiles.writeJsonl(dir.resolve("b.jsonl.gz"), FineWebRow.sample(23, 32));
        TestFiles.writeArrow(dir.resolve("c.arrow"), FineWebRow.sample(11, 33), 4, true);
        Files.createDirectories(dir.resolve("docs"));
        for (int i = 0; i < 9; i++) {
            Files.writeString(dir.resolve("docs/f" + i + ".txt"), "file " + i);
        }
        Files.writeString(dir.resolve("e.jsonl"), "{\"text\":\"x\",\"id\":\"e0\"}\nnot json\n{\"text\":\"y\",\"id\":\"e2\"}\n");
        inputs = List.of(dir.resolve("a.parquet").toString(), dir.resolve("b.jsonl.gz").toString(),
                dir.resolve("c.arrow").toString(), dir.resolve("docs").toString(), dir.resolve("e.jsonl").toString());
        options = SourceOptions.defaults().skipAndReportTo(reported::add);
    }

    @Test
    void shardsAreDisjointCompleteAndKeepOrder() {
        DocumentSource source = Sources.source(inputs, options);
        List<Document> all = TestFiles.readAll(source);
        assertEquals(37 + 23 + 11 + 9 + 2, all.size());
        assertEquals(1, reported.size(), "the bad line is seen once");
        Set<String> allIds = all.stream().map(Document::id).collect(Collectors.toSet());
        assertEquals(all.size(), allIds.size(), "ids are unique in this input");

        for (int n = 1; n <= 7; n++) {
            reported.clear();
            Set<String> union = new HashSet<>();
            int total = 0;
            for (int i = 0; i < n; i++) {
                List<Document> part = TestFiles.readAll(source.shard(i, n));
                for (int k = 0; k < part.size(); k++) {
                    Document d = part.get(k);
                    assertEquals(i, d.ordinal() % n, "document " + d + " in shard " + i + " of " + n);
                    if (k > 0) {
                        assertTrue(part.get(k - 1).ordinal() < d.ordinal(), "order within the shard");
                    }
                    union.add(d.id());
                }
                total += part.size();
            }
            assertEquals(all.size(), total, "no document in two shards of " + n);
            assertEquals(allIds, union, "every document in some shard of " + n);
            assertEquals(1, reported.size(), "the bad line is reported by its own shard only, n=" + n);
        }
    }

    @Test
    void ordinalsAreTheSameInEveryShard() {
        DocumentSource source = Sources.source(inputs, options);
        List<Document> all = TestFiles.readAll(source);
        List<Document> shard = TestFiles.readAll(source.shard(2, 3));
        for (Document d : shard) {
            Document same = all.stream().filter(a -> a.ordinal() == d.ordinal()).findFirst().orElseThrow();
            assertEquals(same.id(), d.id());
            assertEquals(same.text(), d.text());
        }
    }

    @Test
    void limitTakesTheFirstDocumentsAndShardsPartitionThem() {
        DocumentSource source = Sources.source(inputs, options);
        List<Document> all = TestFiles.readAll(source);
        List<String> first40 = all.subList(0, 40).stream().map(Document::id).collect(Collectors.toList());
        assertEquals(first40, TestFiles.readAll(source.limit(40)).stream().map(Document::id).collect(Collectors.toList()));

        Set<String> union = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            TestFiles.readAll(source.shard(i, 3).limit(40)).forEach(d -> union.add(d.id()));
        }
        assertEquals(new HashSet<>(first40), union);
        assertEquals(0, TestFiles.readAll(source.limit(0)).size());
    }

    @Test
    void badShardArgumentsAreRejected() {
        DocumentSource source = Sources.source(inputs, options);
        assertThrows(IllegalArgumentException.class, () -> source.shard(3, 3));
        assertThrows(IllegalArgumentException.class, () -> source.shard(-1, 3));
        assertThrows(IllegalArgumentException.class, () -> source.shard(0, 0));
        assertThrows(IllegalStateException.class, () -> source.shard(0, 2).shard(1, 2));
    }
}
