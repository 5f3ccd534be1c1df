package dev.blt.data.dataset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SymbolicLinkInputsTest {
    @TempDir
    Path dir;

    private Path write(String rel, String text) throws IOException {
        Path p = dir.resolve(rel);
        Files.createDirectories(p.getParent());
        return Files.write(p, text.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> ids(List<Document> docs) {
        return docs.stream().map(Document::id).collect(Collectors.toList());
    }

    /** The documents of {@code dir/data}, bad input going to {@code bad}. */
    private List<Document> readData(List<BadInput> bad) {
        return TestFiles.readAll(List.of(dir.resolve("data").toString()), SourceOptions.defaults().skipAndReportTo(bad::add));
    }

    @Test
    void linkedDirectoriesAndFilesAreFollowed() throws IOException {
        write("outside/deep/a.txt", "a");
        write("outside/b.txt", "b");
        write("other/c.txt", "c");
        write("data/own.txt", "own");
        Files.createSymbolicLink(dir.resolve("data/linked"), dir.resolve("outside"));
        Files.createSymbolicLink(dir.resolve("data/c-link.txt"), dir.resolve("other/c.txt"));
        List<Document> docs = TestFiles.readAll(List.of(dir.resolve("data").toString()), SourceOptions.defaults());
        assertEquals(List.of("c-link.txt", "linked/b.txt", "linked/deep/a.txt", "own.txt"), ids(docs));
        assertEquals("a", new String(docs.get(2).bytes(), StandardCharsets.UTF_8));
        assertEquals(dir.resolve("data/linked/deep/a.txt").toString(), docs.get(2).file());
    }

    @Test
    void aSymlinkedInputDirectoryIsWalked() throws IOException {
        write("real/x.txt", "x");
        Path link = Files.createSymbolicLink(dir.resolve("alias"), dir.resolve("real"));
        assertEquals(List.of("x.txt"), ids(TestFiles.readAll(List.of(link.toString()), SourceOptions.defaults())));
        assertEquals(List.of("x.txt"), ids(TestFiles.readAll(List.of(link + "/*.txt"), SourceOptions.defaults())));
    }

    @Test
    void aDirectoryReachedAgainThroughALinkIsWalkedOnce() throws IOException {
        write("data/sub/x.txt", "x");
        write("data/sub/inner/y.txt", "y");
        Files.createSymbolicLink(dir.resolve("data/alias"), dir.resolve("data/sub"));
        Files.createSymbolicLink(dir.resolve("data/sub/inner-alias"), dir.resolve("data/sub/inner"));
        List<BadInput> bad = new ArrayList<>();
        List<Document> docs = readData(bad);
        // the real paths win over the aliases, whichever sorts first
        assertEquals(List.of("sub/inner/y.txt", "sub/x.txt"), ids(docs));
        assertEquals(List.of(), bad);
    }

    @Test
    void aLoopIsReportedOnceAndNotWalked() throws IOException {
        write("data/a/x.txt", "x");
        Files.createSymbolicLink(dir.resolve("data/a/up"), dir.resolve("data"));
        Files.createSymbolicLink(dir.resolve("data/a/self"), Path.of("."));
        List<BadInput> bad = new ArrayList<>();
        List<Document> docs = assertTimeoutPreemptively(java.time.Duration.ofSeconds(20), () -> readData(bad));
        assertEquals(List.of("a/x.txt"), ids(docs));
        assertEquals(2, bad.size(), bad.toString());
        assertEquals(dir.resolve("data/a/self").toString(), bad.get(0).file());
        assertEquals(dir.resolve("data/a/up").toString(), bad.get(1).file());
        for (BadInput b : bad) {
            assertTrue(b.wholeFile() && b.message().startsWith("symbolic link loop: leads to "), b.toString());
        }
        assertTrue(bad.get(1).message().contains(dir.resolve("data").toRealPath().toString()), bad.get(1).message());
    }

    @Test
    void linksThatLeadToEachOtherAreReported() throws IOException {
        write("data/x.txt", "x");
        Files.createSymbolicLink(dir.resolve("data/p"), dir.resolve("data/q"));
        Files.createSymbolicLink(dir.resolve("data/q"), dir.resolve("data/p"));
        List<BadInput> bad = new ArrayList<>();
        List<Document> docs = readData(bad);
        assertEquals(List.of("x.txt"), ids(docs));
        assertEquals(List.of("p", "q"), bad.stream().map(b -> Path.of(b.file()).getFileName().toString())
                .collect(Collectors.toList()));
        assertTrue(bad.get(0).message().startsWith("cannot resolve symbolic link: "), bad.get(0).message());
    }

    @Test
    void aDanglingLinkIsBadInput() throws IOException {
        write("data/a.txt", "a");
        write("data/c.txt", "c");
        Path gone = dir.resolve("gone.txt");
        Files.createSymbolicLink(dir.resolve("data/b.txt"), gone);
        List<BadInput> bad = new ArrayList<>();
        DocumentSource source = Sources.source(List.of(dir.resolve("data").toString()),
                SourceOptions.defaults().skipAndReportTo(bad::add));
        List<Document> docs = TestFiles.readAll(source);
        assertEquals(List.of("a.txt", "c.txt"), ids(docs));
        assertEquals(List.of(new BadInput(dir.resolve("data/b.txt").toString(), null,
                "dangling symbolic link to " + gone)), bad);
        // the bad entry takes no ordinal, as an unreadable file does
        assertEquals(List.of(0L, 1L), docs.stream().map(Document::ordinal).collect(Collectors.toList()));

        DatasetException e = assertThrows(DatasetException.class,
                () -> TestFiles.readAll(List.of(dir.resolve("data").toString()), SourceOptions.defaults()));
        assertEquals(dir.resolve("data/b.txt") + ": dangling symbolic link to " + gone, e.getMessage());
        // a glob the link does not match leaves it out
        assertEquals(List.of("a.txt"), ids(TestFiles.readAll(List.of(dir.resolve("data") + "/a*"),
                SourceOptions.defaults())));
    }

    @Test
    void aDanglingLinkGivenAsInputSaysSo() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("link.txt"), dir.resolve("missing.txt"));
        DatasetException e = assertThrows(DatasetException.class,
                () -> Sources.source(List.of(link.toString()), SourceOptions.defaults()));
        assertEquals(link + ": dangling symbolic link to " + dir.resolve("missing.txt"), e.getMessage());
    }
}
