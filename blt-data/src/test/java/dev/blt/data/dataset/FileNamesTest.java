package dev.blt.data.dataset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class FileNamesTest {
    @TempDir
    Path dir;

    @Test
    void escapingIsReadableAndReversible() {
        assertEquals("caf\u00e9.txt", FileNames.escape("caf\u00e9.txt".getBytes(StandardCharsets.UTF_8)));
        assertEquals("a%FF.txt", FileNames.escape(new byte[]{'a', (byte) 0xff, '.', 't', 'x', 't'}));
        assertEquals("100%2541 50% %zz", FileNames.escape("100%41 50% %zz".getBytes(StandardCharsets.UTF_8)));
        // a cut multi-byte sequence and a surrogate encoded in UTF-8 are bytes, not text
        assertEquals("x%C3%ED%A0%80", FileNames.escape(new byte[]{'x', (byte) 0xc3, (byte) 0xed, (byte) 0xa0, (byte) 0x80}));
        Random random = new Random(3);
        Set<String> names = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            byte[] raw = new byte[1 + random.nextInt(8)];
            for (int k = 0; k < raw.length; k++) {
                // mostly ASCII, '%', hex digits and high bytes, to hit every case
                raw[k] = (byte) "%aF0é".getBytes(StandardCharsets.ISO_8859_1)[random.nextInt(5)];
                if (random.nextInt(3) == 0) {
                    raw[k] = (byte) (0x80 + random.nextInt(0x80));
                }
            }
            String name = FileNames.escape(raw);
            assertArrayEquals(raw, FileNames.bytes(name), name);
            names.add(name + "|" + new String(raw, StandardCharsets.ISO_8859_1));
        }
        // distinct bytes give distinct names
        assertEquals(names.size(), names.stream().map(n -> n.substring(0, n.indexOf('|'))).distinct().count());
    }

    /** Creates files whose names are these bytes (the JDK cannot: it encodes names from Strings as UTF-8). */
    private static void createRawNames(Path dir, List<byte[]> names) throws IOException, InterruptedException {
        StringBuilder list = new StringBuilder("[");
        for (byte[] n : names) {
            list.append("bytes([");
            for (byte b : n) {
                list.append(b & 0xff).append(',');
            }
            list.append("]),");
        }
        list.append(']');
        Process p;
        try {
            p = new ProcessBuilder("python3", "-c", "import os,sys\nd=os.fsencode(sys.argv[1])\nfor n in " + list
                    + ":\n    open(os.path.join(d, n), 'wb').write(n)\n", dir.toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "python3 is needed to create the files: " + e.getMessage());
            return;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        // some file systems (macOS, Windows) refuse names that are not UTF-8
        assumeTrue(p.waitFor() == 0, "file names that are not UTF-8 cannot be created here: " + out);
    }

    @Test
    void namesThatAreNotUtf8GiveDistinctReadableIds() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        byte[] ff = {'a', (byte) 0xff, '.', 't', 'x', 't'};
        byte[] fe = {'a', (byte) 0xfe, '.', 't', 'x', 't'};
        createRawNames(data, List.of(ff, fe, "caf\u00e9.txt".getBytes(StandardCharsets.UTF_8)));
        Files.write(data.resolve("100%41.txt"), "percent".getBytes(StandardCharsets.UTF_8));

        List<Document> docs = TestFiles.readAll(List.of(data.toString()), SourceOptions.defaults());
        assertEquals(List.of("100%2541.txt", "a%FE.txt", "a%FF.txt", "caf\u00e9.txt"),
                docs.stream().map(Document::id).collect(Collectors.toList()));
        assertArrayEquals(fe, docs.get(1).bytes(), "each file is read through its own bytes");
        assertArrayEquals(ff, docs.get(2).bytes());
        assertEquals(data + "/a%FF.txt", docs.get(2).file());

        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        raw.write(data.toString().getBytes(StandardCharsets.UTF_8));
        raw.write('/');
        raw.write(ff);
        assertArrayEquals(raw.toByteArray(), FileNames.bytes(docs.get(2).file()), "the reported name gives the path back");

        // ids from the file name (file#row) are distinct as well, and bad input names the right file
        Files.write(data.resolve("100%41.txt"), new byte[0]);
        List<BadInput> bad = new java.util.ArrayList<>();
        TestFiles.readAll(Sources.source(List.of(data.toString()), SourceOptions.defaults().skipAndReportTo(bad::add)));
        assertEquals(List.of(data + "/100%2541.txt: empty file (0 bytes)"),
                bad.stream().map(BadInput::toString).collect(Collectors.toList()));
    }
}
