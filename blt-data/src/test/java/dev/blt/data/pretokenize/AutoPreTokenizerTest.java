package dev.blt.data.pretokenize;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.blt.data.pretokenize.SegmentAssertions.assertCoversInput;
import static dev.blt.data.pretokenize.SegmentAssertions.labels;
import static org.junit.jupiter.api.Assertions.assertEquals;

class AutoPreTokenizerTest {

    private static Detection detect(byte[] data, String name) {
        return ModalityDetector.detect(data, name);
    }

    private static byte[] image(String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(3, 3, BufferedImage.TYPE_INT_RGB), format, out);
        return out.toByteArray();
    }

    @Test
    void detectsEveryGeneratedFormat() throws IOException {
        for (String format : List.of("png", "jpg", "gif", "bmp", "tiff")) {
            assertEquals(Modality.IMAGE, detect(image(format), null).modality(), format);
        }
        assertEquals(Modality.AUDIO, detect(AudioPreTokenizerTest.wav(16000, 16, 1, 10), null).modality());
        assertEquals(Modality.PDF, detect(PdfPreTokenizerTest.pdf("x"), null).modality());
        assertEquals(Modality.BINARY, detect(BinaryPreTokenizerTest.elf(), null).modality());
        assertEquals(Modality.BINARY, detect(BinaryPreTokenizerTest.zip(), null).modality());
        assertEquals(Modality.BINARY, detect(new byte[]{1, 0, (byte) 0xff, 7}, null).modality());
        assertEquals(Modality.TEXT, detect("Grüße, world".getBytes(StandardCharsets.UTF_8), null).modality());
        assertEquals(Modality.TEXT, detect("caf\u00e9 au lait, a plain latin-1 text file".getBytes(StandardCharsets.ISO_8859_1), "notes.txt").modality());
        assertEquals(Modality.TEXT, detect(new byte[0], null).modality());
    }

    @Test
    void codeByExtensionMimeOrShebang() {
        byte[] rust = "fn main() {}\n".getBytes(StandardCharsets.UTF_8);
        Detection byName = detect(rust, "main.rs");
        assertEquals(Modality.CODE, byName.modality());
        assertEquals(CodeLanguage.RUST, byName.language());
        Detection shebang = detect("#!/usr/bin/env python3\nprint(1)\n".getBytes(StandardCharsets.UTF_8), null);
        assertEquals(CodeLanguage.PYTHON, shebang.language());
        // a binary file with a source extension is still binary
        assertEquals(Modality.BINARY, detect(new byte[]{0, 1, 2, (byte) 0xff}, "weird.c").modality());
    }

    @Test
    void dispatchesToTheDetectedModality() throws IOException {
        PreTokenizerOptions options = new PreTokenizerOptions();
        byte[] java = "class A {}\n\nclass B {}\n".getBytes(StandardCharsets.UTF_8);
        List<ByteSegment> code = new AutoPreTokenizer(options, "A.java").preTokenize(java);
        assertEquals(List.of("class_declaration", "gap", "class_declaration", "gap"), labels(code));
        assertCoversInput(java, code);
        byte[] wav = AudioPreTokenizerTest.wav(16000, 16, 1, 200);
        assertEquals("wav_header", new AutoPreTokenizer(options, null).preTokenize(wav).get(0).label());
        assertEquals("tile", new AutoPreTokenizer(options, null).preTokenize(image("png")).get(0).label());
        assertEquals("page", new AutoPreTokenizer(options, null).preTokenize(PdfPreTokenizerTest.pdf("hi")).get(0).label());
        assertEquals("elf_header", new AutoPreTokenizer(options, null).preTokenize(BinaryPreTokenizerTest.elf()).get(0).label());
        assertEquals("word", new AutoPreTokenizer(options, "x.txt").preTokenize("two words".getBytes(StandardCharsets.UTF_8)).get(0).label());
    }

    @Test
    void sameInputSameSegments() throws IOException {
        byte[] zip = BinaryPreTokenizerTest.zip();
        List<ByteSegment> first = new AutoPreTokenizer(new PreTokenizerOptions(), null).preTokenize(zip);
        List<ByteSegment> second = new AutoPreTokenizer(new PreTokenizerOptions(), null).preTokenize(zip);
        assertEquals(first.stream().map(ByteSegment::metadata).toList(), second.stream().map(ByteSegment::metadata).toList());
        assertEquals(List.of("name", "method", "compressed_size", "size"), List.copyOf(first.get(0).metadata().fields().keySet()));
    }
}
