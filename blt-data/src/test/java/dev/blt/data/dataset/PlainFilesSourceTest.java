package dev.blt.data.dataset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class PlainFilesSourceTest {
    @TempDir
    Path dir;

    @Test
    void eachFileOfADirectoryIsOneDocumentInSortedOrder() throws Exception {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13};
        write("src/b.py", "print('b')\n".getBytes());
        write("src/a/Main.java", "class Main {}\n".getBytes());
        write("img/cat.png", png);
        write("notes.txt", "caf\u00e9".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        write(".git/HEAD", "ref: refs/heads/main\n".getBytes());
        write("src/.hidden", "secret".getBytes());

        List<Document> docs = TestFiles.readAll(List.of(dir.toString()), SourceOptions.defaults());
        assertEquals(List.of("img/cat.png", "notes.txt", "src/a/Main.java", "src/b.py"),
                docs.stream().map(Document::id).collect(Collectors.toList()));
        assertArrayEquals(png, docs.get(0).bytes());
        assertNull(docs.get(0).text(), "plain files are bytes; their modality is for the pre-tokenizer to decide");
        assertEquals(dir.resolve("src/b.py").toString(), docs.get(3).file());
        assertEquals(List.of(0L, 1L, 2L, 3L), docs.stream().map(Document::ordinal).collect(Collectors.toList()));
    }

    @Test
    void globsMatchRelativeToTheirFixedPrefix() throws Exception {
        write("a/x.py", "1".getBytes());
        write("a/sub/y.py", "2".getBytes());
        write("a/z.txt", "3".getBytes());
        List<String> top = ids(dir.resolve("a/*.py").toString());
        assertEquals(List.of("x.py"), top);
        assertEquals(List.of("sub/y.py", "x.py"), ids(dir.resolve("a/**.py").toString()));
        assertEquals(List.of("a/sub/y.py", "a/x.py", "a/z.txt"), ids(dir + "/*/**"));
    }

    @Test
    void formatFilesTreatsDatasetFilesAsOpaqueDocuments() throws Exception {
        Path jsonl = write("data/one.jsonl", "{\"text\":\"a\"}\n{\"text\":\"b\"}\n".getBytes());
        assertEquals(2, TestFiles.readAll(List.of(jsonl.toString()), SourceOptions.defaults()).size());
        List<Document> raw = TestFiles.readAll(List.of(jsonl.toString()), SourceOptions.defaults().withFormat(Format.FILES));
        assertEquals(1, raw.size());
        assertArrayEquals(Files.readAllBytes(jsonl), raw.get(0).bytes());
    }

    @Test
    void emptyAndOversizedFilesAreReported() throws Exception {
        Path empty = write("d/empty.bin", new byte[0]);
        Path big = write("d/big.bin", new byte[2000]);
        write("d/ok.bin", new byte[]{1});
        List<BadInput> reported = new ArrayList<>();
        List<Document> docs = TestFiles.readAll(List.of(dir.resolve("d").toString()),
                SourceOptions.defaults().withMaxDocumentBytes(1000).skipAndReportTo(reported::add));
        assertEquals(List.of("ok.bin"), docs.stream().map(Document::id).collect(Collectors.toList()));
        assertEquals(List.of(new BadInput(big.toString(), null, "2000 bytes, more than the maximum 1000 for a file read whole (only text files longer than a part are read in parts)"),
                new BadInput(empty.toString(), null, "empty file (0 bytes)")), reported);
    }

    private List<String> ids(String input) {
        return TestFiles.readAll(List.of(input), SourceOptions.defaults()).stream()
                .map(Document::id).collect(Collectors.toList());
    }

    private Path write(String rel, byte[] bytes) throws Exception {
        Path p = dir.resolve(rel);
        Files.createDirectories(p.getParent());
        return Files.write(p, bytes);
    }
}
