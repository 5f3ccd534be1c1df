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
        Progress p = new Progress(new PrintStream(buf, true, StandardCharsets.UTF_8), false, true, false, 100L, null,
                () -> now);
        now = 4_000_000_000L; // 4 s: 10 docs of 2048 bytes and 1000 tokens
        for (int i = 0; i < 10; i++) {
            p.done(2048, 1000);
        }
        assertEquals("ingest: 10 docs/100 | 20.0 KiB, 5.0 KiB/s | 2500 tokens/s | ETA 0m36s", p.line(now));
        assertEquals("", buf.toString(StandardCharsets.UTF_8), "logs get a line every 10 s, not more often");
        now = 11_000_000_000L;
        p.failed(0);
        assertTrue(buf.toString(StandardCharsets.UTF_8).startsWith("ingest: 10 docs/100, 1 failed |"), buf.toString());
    }

    /**
     * Input bytes known: percentage, done/total and an ETA from the bytes handled in this run (documents finished by
     * an earlier run count as done but not toward the rate).
     */
    @Test
    void aTotalOfInputBytesGivesPercentageAndEta() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Progress p = new Progress(new PrintStream(buf, true, StandardCharsets.UTF_8), false, false, false, null,
                10L << 20, () -> now);
        p.skipped(2L << 20);
        now = 10_000_000_000L;
        p.done(1L << 20, 1000);
        p.failed(1L << 20);
        assertEquals("ingest: 40.0% (4.0 MiB of 10.0 MiB) | 1 docs, 1 already done, 1 failed | 1.0 MiB, 102.4 KiB/s "
                + "| 100 tokens/s | ETA 0m30s", p.line(now));
        assertEquals("", buf.toString(StandardCharsets.UTF_8), "no progress lines off a terminal unless asked");
        p.summary(Path.of("errors.jsonl"));
        assertTrue(buf.toString(StandardCharsets.UTF_8).startsWith("ingest done: 40.0% (4.0 MiB of 10.0 MiB)"),
                buf.toString());
        assertTrue(!buf.toString(StandardCharsets.UTF_8).contains("ETA"), "no ETA once done");
    }

    @Test
    void quietPrintsOnlyAFailureSummary() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Progress p = new Progress(new PrintStream(buf, true, StandardCharsets.UTF_8), true, false, false, null, null,
                () -> now);
        now = 20_000_000_000L;
        p.done(10, 12);
        p.summary(Path.of("errors.jsonl"));
        assertEquals("", buf.toString(StandardCharsets.UTF_8));
        p.failed(0);
        p.summary(Path.of("errors.jsonl"));
        assertTrue(buf.toString(StandardCharsets.UTF_8).contains("1 failed, see errors.jsonl"), buf.toString());
    }
}
