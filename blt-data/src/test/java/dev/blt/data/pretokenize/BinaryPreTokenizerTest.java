package dev.blt.data.pretokenize;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static dev.blt.data.pretokenize.SegmentAssertions.assertCoversInput;
import static dev.blt.data.pretokenize.SegmentAssertions.labels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class BinaryPreTokenizerTest {
    @TempDir
    Path dir;

    private final BinaryPreTokenizer binary = new BinaryPreTokenizer(4096);

    /**
     * A 64-bit little-endian ELF: header [0,64), .text [64,80), .data [80,88), .shstrtab [88,116), 4 padding bytes,
     * 5 section headers [120,440) (NULL, .text, .data, .shstrtab, and a NOBITS .bss that occupies no file bytes).
     */
    static byte[] elf() {
        ByteBuffer b = ByteBuffer.allocate(440).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[]{0x7f, 'E', 'L', 'F', 2, 1, 1});
        b.position(16);
        b.putShort((short) 2).putShort((short) 62).putInt(1);        // ET_EXEC, x86-64, version
        b.putLong(0).putLong(0).putLong(120);                         // entry, phoff, shoff
        b.putInt(0).putShort((short) 64).putShort((short) 0).putShort((short) 0); // flags, ehsize, phentsize, phnum
        b.putShort((short) 64).putShort((short) 5).putShort((short) 3);           // shentsize, shnum, shstrndx
        for (int i = 64; i < 80; i++) {
            b.put(i, (byte) 0x90);
        }
        b.position(80).put("datadata".getBytes(StandardCharsets.US_ASCII));
        b.position(88).put("\0.text\0.data\0.shstrtab\0.bss\0".getBytes(StandardCharsets.US_ASCII));
        section(b, 1, 1, 1, 6, 64, 16);     // .text PROGBITS, ALLOC|EXEC
        section(b, 2, 7, 1, 3, 80, 8);      // .data PROGBITS, WRITE|ALLOC
        section(b, 3, 13, 3, 0, 88, 28);    // .shstrtab STRTAB
        section(b, 4, 23, 8, 3, 88, 100);   // .bss NOBITS
        return b.array();
    }

    private static void section(ByteBuffer b, int index, int name, int type, long flags, long offset, long size) {
        int h = 120 + 64 * index;
        b.putInt(h, name).putInt(h + 4, type).putLong(h + 8, flags).putLong(h + 24, offset).putLong(h + 32, size);
    }

    @Test
    void elfSectionsHandBuilt() {
        byte[] input = elf();
        List<ByteSegment> s = binary.preTokenize(input);
        assertEquals(List.of("elf_header", "elf_section", "elf_section", "elf_section", "elf_gap", "elf_section_headers"), labels(s));
        assertEquals(List.of(".text", ".data", ".shstrtab"), s.subList(1, 4).stream().map(x -> x.metadata().fields().get("name")).toList());
        assertEquals(List.of(0L, 64L, 80L, 88L, 116L, 120L), s.stream().map(x -> x.metadata().start()).toList());
        assertEquals(true, s.get(1).metadata().fields().get("executable"));
        assertEquals(true, s.get(2).metadata().fields().get("writable"));
        assertEquals("strtab", s.get(3).metadata().fields().get("type"));
        assertCoversInput(input, s);
    }

    @Test
    void elfSectionsMatchReadelfOnARealBinary() throws Exception {
        Path real = Path.of("/bin/ls");
        assumeTrue(Files.isRegularFile(real), "no /bin/ls");
        Process p;
        try {
            p = new ProcessBuilder("readelf", "-S", "-W", real.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "readelf is not installed");
            return;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assumeTrue(p.waitFor() == 0, "readelf failed");
        List<String> expected = new ArrayList<>();
        Matcher m = Pattern.compile("\\[\\s*\\d+]\\s+(\\S+)\\s+(\\S+)\\s+[0-9a-f]+\\s+([0-9a-f]+)\\s+([0-9a-f]+)").matcher(out);
        while (m.find()) {
            long size = Long.parseLong(m.group(4), 16);
            if (!m.group(2).equals("NOBITS") && !m.group(2).equals("NULL") && size > 0) {
                expected.add(m.group(1) + "@" + Long.parseLong(m.group(3), 16) + "+" + size);
            }
        }
        assumeTrue(!expected.isEmpty(), "could not parse readelf output");
        byte[] input = Files.readAllBytes(real);
        List<ByteSegment> s = binary.preTokenize(input);
        List<String> actual = s.stream().filter(x -> x.label().equals("elf_section"))
                .map(x -> x.metadata().fields().get("name") + "@" + x.metadata().start() + "+" + x.size()).toList();
        assertEquals(expected.stream().sorted().toList(), actual.stream().sorted().toList());
        assertCoversInput(input, s);
    }

    static byte[] zip() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            byte[] stored = "stored content".getBytes(StandardCharsets.UTF_8);
            ZipEntry a = new ZipEntry("a.txt");
            a.setMethod(ZipEntry.STORED);
            a.setSize(stored.length);
            CRC32 crc = new CRC32();
            crc.update(stored);
            a.setCrc(crc.getValue());
            zip.putNextEntry(a);
            zip.write(stored);
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("dir/b.txt")); // deflated, with a data descriptor
            zip.write("compressible ".repeat(50).getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }

    @Test
    void zipEntriesAsStored() throws IOException {
        byte[] input = zip();
        List<ByteSegment> s = binary.preTokenize(input);
        assertEquals(List.of("zip_entry", "zip_entry", "zip_central_directory", "zip_end"), labels(s));
        assertEquals("a.txt", s.get(0).metadata().fields().get("name"));
        assertEquals("stored", s.get(0).metadata().fields().get("method"));
        assertEquals("dir/b.txt", s.get(1).metadata().fields().get("name"));
        assertEquals("deflated", s.get(1).metadata().fields().get("method"));
        assertEquals(650L, s.get(1).metadata().fields().get("size"));
        for (ByteSegment x : s) {
            byte third = x.label().equals("zip_entry") ? (byte) 3 : x.label().equals("zip_end") ? (byte) 5 : (byte) 1;
            assertEquals(List.of((byte) 'P', (byte) 'K', third), List.of(x.bytes()[0], x.bytes()[1], x.bytes()[2]), x.label());
        }
        assertCoversInput(input, s);
    }

    @Test
    void zipEntriesMatchPythonsZipfile() throws Exception {
        byte[] input = zip();
        Path file = Files.write(dir.resolve("t.zip"), input);
        String out = SegmentAssertions.python("import sys, zipfile\nfor i in zipfile.ZipFile(sys.argv[1]).infolist():\n"
                + "    print(i.filename, i.header_offset, i.compress_size)", file.toString());
        assumeTrue(out != null, "python3 is not available");
        List<String> actual = binary.preTokenize(input).stream().filter(x -> x.label().equals("zip_entry"))
                .map(x -> x.metadata().fields().get("name") + " " + x.metadata().start() + " " + x.metadata().fields().get("compressed_size"))
                .toList();
        assertEquals(List.of(out.strip().split("\n")), actual);
    }

    @Test
    void otherBytesAndBrokenContainersBecomeChunks() {
        byte[] random = new byte[10000];
        new Random(1).nextBytes(random);
        random[0] = 1;
        List<ByteSegment> s = binary.preTokenize(random);
        assertEquals(List.of(4096, 4096, 1808), s.stream().map(ByteSegment::size).toList());
        assertCoversInput(random, s);
        byte[] brokenZip = new byte[100];
        System.arraycopy(new byte[]{'P', 'K', 3, 4}, 0, brokenZip, 0, 4);
        List<ByteSegment> broken = binary.preTokenize(brokenZip);
        assertEquals(List.of("chunk"), labels(broken));
        assertTrue(String.valueOf(broken.get(0).metadata().fields().get("note")).startsWith("malformed ZIP"));
        byte[] truncatedElf = java.util.Arrays.copyOf(elf(), 200);
        List<ByteSegment> elf = binary.preTokenize(truncatedElf);
        assertTrue(String.valueOf(elf.get(0).metadata().fields().get("note")).startsWith("malformed ELF"));
        assertCoversInput(truncatedElf, elf);
    }
}
