package dev.blt.train;

import dev.blt.train.data.DocumentSource;
import dev.blt.train.data.FileDocuments;
import dev.blt.train.data.HoldoutSplit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileDocumentsTest {
    private static List<String> read(DocumentSource s) throws IOException {
        List<String> docs = new ArrayList<>();
        try (DocumentSource.DocumentStream in = s.open()) {
            byte[] d;
            while ((d = in.next()) != null) {
                docs.add(new String(d, StandardCharsets.UTF_8));
            }
        }
        return docs;
    }

    @Test
    void readsJsonlTextFilesAndDirectoriesInOrder(@TempDir Path dir) throws IOException {
        Path sub = Files.createDirectories(dir.resolve("corpus"));
        Files.writeString(sub.resolve("b.jsonl"), "{\"text\": \"j1 é\"}\n\n{\"content\": \"j2\", \"id\": 3}\n");
        Files.writeString(sub.resolve("a.txt"), "line one\n\nline two\n");
        Files.writeString(sub.resolve("c.md"), "whole\nfile\n");
        assertEquals(List.of("line one\n\nline two\n", "j1 é", "j2", "whole\nfile\n"),
                read(FileDocuments.of(List.of(sub), false)));
        assertEquals(List.of("line one", "line two", "j1 é", "j2", "whole\nfile\n"),
                read(FileDocuments.of(List.of(sub), true)));
    }

    @Test
    void followsLinkedFoldersAtTheTopAndInside(@TempDir Path dir) throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.writeString(data.resolve("a.md"), "first");
        Path more = Files.createDirectories(dir.resolve("elsewhere"));
        Files.writeString(more.resolve("b.md"), "second");
        Files.createSymbolicLink(data.resolve("more"), more);
        Path corpus = Files.createSymbolicLink(dir.resolve("corpus"), data);
        assertEquals(List.of("first", "second"), read(FileDocuments.of(List.of(corpus), false)));
    }

    @Test
    void holdoutSplitIsDisjointAndEven(@TempDir Path dir) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            sb.append("doc").append(i).append('\n');
        }
        Path f = Files.writeString(dir.resolve("lines.txt"), sb.toString());
        FileDocuments all = FileDocuments.of(List.of(f), true);
        List<String> test = read(HoldoutSplit.heldOut(all, 0.05));
        List<String> train = read(HoldoutSplit.training(all, 0.05));
        assertEquals(List.of("doc19", "doc39", "doc59", "doc79", "doc99"), test);
        assertEquals(95, train.size());
        assertTrue(train.stream().noneMatch(test::contains));
    }

    @Test
    void errorsNameTheFile(@TempDir Path dir) throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.jsonl"), "{\"text\": \"ok\"}\nnot json\n");
        IOException e = assertThrows(IOException.class, () -> read(FileDocuments.of(List.of(bad), false)));
        assertEquals(bad + ":2: not valid JSON", e.getMessage());
        e = assertThrows(IOException.class, () -> FileDocuments.of(List.of(dir.resolve("missing")), false));
        assertTrue(e.getMessage().startsWith(dir.resolve("missing").toString()), e.getMessage());
    }
}
