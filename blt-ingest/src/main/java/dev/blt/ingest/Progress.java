package dev.blt.ingest;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress on stderr: documents, bytes/s, tokens/s and, when the number of documents is known, an ETA. On a
 * terminal one line is redrawn every half second; otherwise (logs, pipes) a line is printed every 10 seconds.
 */
final class Progress {
    private final PrintStream out;
    private final boolean quiet;
    private final boolean terminal;
    private final Long total;
    private final LongSupplier clock;
    private final long started;
    private long lastPrint;
    private long docs;
    private long skipped;
    private long failed;
    private long bytes;
    private long tokens;

    /** @param total documents expected, or null when unknown */
    Progress(PrintStream out, boolean quiet, boolean terminal, Long total, LongSupplier nanoClock) {
        this.out = out;
        this.quiet = quiet;
        this.terminal = terminal;
        this.total = total;
        this.clock = nanoClock;
        this.started = nanoClock.getAsLong();
        this.lastPrint = started;
    }

    void done(long docBytes, long docTokens) {
        docs++;
        bytes += docBytes;
        tokens += docTokens;
        maybePrint();
    }

    void skipped() {
        skipped++;
        maybePrint();
    }

    void failed() {
        failed++;
        maybePrint();
    }

    private void maybePrint() {
        long now = clock.getAsLong();
        long every = terminal ? 500_000_000L : 10_000_000_000L;
        if (quiet || now - lastPrint < every) {
            return;
        }
        lastPrint = now;
        if (terminal) {
            out.print("\r" + line(now) + "   ");
        } else {
            out.println(line(now));
        }
        out.flush();
    }

    String line(long now) {
        double secs = Math.max(1e-9, (now - started) / 1e9);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "ingest: %d docs", docs));
        if (total != null) {
            sb.append(String.format(Locale.ROOT, "/%d", total));
        }
        if (skipped > 0) {
            sb.append(String.format(Locale.ROOT, ", %d already done", skipped));
        }
        if (failed > 0) {
            sb.append(String.format(Locale.ROOT, ", %d failed", failed));
        }
        sb.append(String.format(Locale.ROOT, " | %s, %s/s | %.0f tokens/s", size(bytes), size((long) (bytes / secs)),
                tokens / secs));
        long handled = docs + failed;
        if (total != null && handled > 0) {
            long left = Math.max(0, total - handled - skipped);
            sb.append(" | ETA ").append(duration((long) (left * secs / handled)));
        }
        return sb.toString();
    }

    /** The final summary; printed even in quiet mode only when something failed. */
    void summary(Path errors) {
        long now = clock.getAsLong();
        if (terminal && !quiet) {
            out.println();
        }
        if (!quiet || failed > 0) {
            out.println(line(now).replace("ingest: ", "ingest done: ") + " | " + duration((now - started) / 1_000_000_000L)
                    + (failed > 0 ? " | " + failed + " failed, see " + errors : ""));
        }
        out.flush();
    }

    static String size(long b) {
        if (b < 1024) {
            return b + " B";
        }
        if (b < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", b / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", b / (1024.0 * 1024));
    }

    static String duration(long s) {
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm%02ds", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }

    long docs() {
        return docs;
    }

    long tokens() {
        return tokens;
    }

    long bytes() {
        return bytes;
    }

    long failedCount() {
        return failed;
    }

    long skippedCount() {
        return skipped;
    }
}
