package dev.blt.ingest;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressTest {
    private long now;

    @Test
    void ratesAndEtaFromAControlledClock() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Progress p = new Progress(new PrintStream(buf, true, StandardCharsets.UTF_8), false, false, 100L, () -> now);
        now = 4_000_000_000L; // 4 s: 10 docs of 2048 bytes and 1000 tokens
        for (int i = 0; i < 10; i++) {
            p.done(2048, 1000);
        }
        assertEquals("ingest: 10 docs/100 | 20.0 KiB, 5.0 KiB/s | 2500 tokens/s | ETA 0m36s", p.line(now));
        assertEquals("", buf.toString(StandardCharsets.UTF_8), "logs get a line every 10 s, not more often");
        now = 11_000_000_000L;
        p.failed();
        assertTrue(buf.toString(StandardCharsets.UTF_8).startsWith("ingest: 10 docs/100, 1 failed |"), buf.toString());
    }

    @Test
    void quietPrintsOnlyAFailureSummary() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Progress p = new Progress(new PrintStream(buf, true, StandardCharsets.UTF_8), true, false, null, () -> now);
        now = 20_000_000_000L;
        p.done(10, 12);
        p.summary(Path.of("errors.jsonl"));
        assertEquals("", buf.toString(StandardCharsets.UTF_8));
        p.failed();
        p.summary(Path.of("errors.jsonl"));
        assertTrue(buf.toString(StandardCharsets.UTF_8).contains("1 failed, see errors.jsonl"), buf.toString());
    }
}
