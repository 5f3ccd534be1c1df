package dev.blt.data.dataset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * JSONL written by other tools: Python's {@code json} (ASCII escapes, surrogate pairs for emoji) compressed by
 * Python's {@code gzip} and by the {@code zstd} command. Skipped where python3 or zstd is missing; the Java-only
 * round trips are in {@link JsonlSourceTest}.
 */
class ExternalToolsJsonlTest {
    @TempDir
    Path dir;

    private static final String WRITER = String.join("\n",
            "import gzip, json, sys",
            "texts = open(sys.argv[1], encoding='utf-8', newline='').read().split('\\0')",
            "lines = ''.join(json.dumps({'id': 'py-%d' % i, 'text': t}) + '\\n' for i, t in enumerate(texts))",
            "open(sys.argv[2], 'w', encoding='ascii').write(lines)",
            "with gzip.open(sys.argv[3], 'wt', encoding='ascii') as f: f.write(lines)");

    @Test
    void readsJsonlWrittenByPythonAndCompressedByGzipAndZstd() throws Exception {
        List<String> texts = FineWebRow.sample(30, 51).stream().map(FineWebRow::text).collect(Collectors.toList());
        Path textsFile = dir.resolve("texts.bin");
        Files.writeString(textsFile, String.join("\0", texts), StandardCharsets.UTF_8);
        Path plain = dir.resolve("py.jsonl");
        Path gz = dir.resolve("py.jsonl.gz");
        Path script = dir.resolve("write.py");
        Files.writeString(script, WRITER);
        assumeTrue(run("python3", script.toString(), textsFile.toString(), plain.toString(), gz.toString()),
                "python3 not available");
        assertEquals(texts, read(plain));
        assertEquals(texts, read(gz));

        Path zst = dir.resolve("py.jsonl.zst");
        assumeTrue(run("zstd", "-q", "-19", plain.toString(), "-o", zst.toString()), "zstd not available");
        assertEquals(texts, read(zst));
    }

    private static List<String> read(Path file) {
        List<Document> docs = TestFiles.readAll(List.of(file.toString()), SourceOptions.defaults().withIdField("id"));
        for (int i = 0; i < docs.size(); i++) {
            assertEquals("py-" + i, docs.get(i).id());
        }
        return docs.stream().map(Document::text).collect(Collectors.toList());
    }

    /** True when the command ran and succeeded; false when it cannot be started. */
    private static boolean run(String... cmd) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", cmd) + " timed out");
            }
            assertEquals(0, p.exitValue(), String.join(" ", cmd) + " failed:\n" + out);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
