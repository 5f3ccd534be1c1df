package dev.blt.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PretokenizeCommandTest {
    @TempDir
    Path dir;

    /** Runs {@code ./blt args...}; returns {exit code, stdout, stderr}. */
    private static String[] run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new String[]{String.valueOf(code), o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void printsDetectedModalityAndSegments() throws IOException {
        Path code = Files.writeString(dir.resolve("m.py"), "import os\n\ndef f():\n    return 1\n");
        String[] r = run("pretokenize", "--modality", "auto", code.toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("auto -> code (python) by file extension"), r[1]);
        assertTrue(r[1].contains("4 segments, 33 bytes from 33 input bytes"), r[1]);
        assertTrue(r[1].matches("(?s).*\\n\\s+0\\s+import_statement\\s+\\[0, 9\\)\\s+9\\s+language=python line=1 end_line=1\\s+\"import os\".*"), r[1]);
        assertTrue(r[1].matches("(?s).*\\n\\s+1\\s+gap\\s+\\[9, 11\\)\\s+2\\s.*"), r[1]);
        assertTrue(r[1].matches("(?s).*\\n\\s+2\\s+function_definition\\s+\\[11, 32\\)\\s+21\\s.*"), r[1]);
        assertTrue(r[1].matches("(?s).*\\n\\s+3\\s+gap\\s+\\[32, 33\\)\\s+1\\s.*"), r[1]);
    }

    @Test
    void forcedModalityAndRowLimit() throws IOException {
        Path text = Files.writeString(dir.resolve("t.txt"), "a b c d e");
        String[] r = run("pretokenize", "--modality", "binary", "--chunk-size", "4", "--max-rows", "1", text.toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains(": binary\n"), r[1]);
        assertTrue(r[1].contains("3 segments, 9 bytes"), r[1]);
        assertTrue(r[1].contains("... 2 more segments"), r[1]);
    }

    @Test
    void badFilesAndOptionsGiveOneLineErrors() throws IOException {
        Path notImage = Files.writeString(dir.resolve("x.png"), "not really");
        String[] r = run("pretokenize", "--modality", "image", notImage.toString());
        assertEquals(String.valueOf(Main.EXIT_USAGE), r[0]);
        assertEquals("blt pretokenize: " + notImage + ": cannot pre-tokenize as image: not an image format ImageIO can decode"
                + " (PNG, JPEG, GIF, BMP, TIFF, WebP)", r[2].strip());
        String[] missing = run("pretokenize", dir.resolve("missing.bin").toString());
        assertEquals("blt pretokenize: " + dir.resolve("missing.bin") + ": no such file", missing[2].strip());
        String[] badModality = run("pretokenize", "--modality", "video", notImage.toString());
        assertEquals(String.valueOf(Main.EXIT_USAGE), badModality[0]);
        assertEquals(1, badModality[2].strip().lines().count(), badModality[2]);
        String[] badTokenizer = run("pretokenize", "--tokenizer", "gpt-17", notImage.toString());
        assertTrue(badTokenizer[2].startsWith("blt pretokenize: --tokenizer: unknown tokenizer 'gpt-17'"), badTokenizer[2]);
    }
}
