package dev.blt.ingest;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress on stderr: documents, bytes/s, tokens/s and, where the total is known (input bytes of plain files, or a
 * number of documents), done/total, percentage and ETA. On a terminal one line is redrawn every half second;
 * elsewhere (logs, pipes) a line every 10 seconds when asked for, else only the summary.
 */
final class Progress {
    private final PrintStream out;
    private final boolean quiet;
    /** Whether progress lines are printed before the summary. */
    private final boolean lines;
    private final boolean terminal;
    private final Long total;
    private final Long totalBytes;
    private final LongSupplier clock;
    private final long started;
    private long lastPrint;
    private long docs;
    private long skipped;
    private long failed;
    private long bytes;
    private long tokens;
    private long failedBytes;
    private long skippedBytes;
    /** Input bytes and positions scored of documents not finished yet: long documents move the line before they end. */
    private double inFlightBytes;
    private long inFlightTokens;

    /**
     * @param total      documents expected, or null when unknown
     * @param totalBytes input bytes expected (documents' bytes as read), or null when unknown
     * @param periodic   print progress lines (always on a terminal; elsewhere only when asked)
     */
    Progress(PrintStream out, boolean quiet, boolean periodic, boolean terminal, Long total, Long totalBytes,
             LongSupplier nanoClock) {
        this.out = out;
        this.quiet = quiet;
        this.lines = !quiet && (terminal || periodic);
        this.terminal = terminal;
        this.total = total;
        this.totalBytes = totalBytes;
        this.clock = nanoClock;
        this.started = nanoClock.getAsLong();
        this.lastPrint = started;
    }

    /**
     * Positions of an unfinished document just scored, standing for {@code inputBytes} of its input; called from
     * the scoring threads.
     */
    synchronized void scored(long positions, double inputBytes) {
        inFlightTokens += positions;
        inFlightBytes += inputBytes;
        maybePrint();
    }

    /** A document written: its bytes and tokens, no longer in flight. */
    synchronized void done(long docBytes, long docTokens) {
        inFlightTokens = Math.max(0, inFlightTokens - docTokens);
        inFlightBytes = Math.max(0, inFlightBytes - docBytes);
        docs++;
        bytes += docBytes;
        tokens += docTokens;
        maybePrint();
    }

    /** A document finished by an earlier run, of {@code docBytes} input bytes. */
    synchronized void skipped(long docBytes) {
        skipped++;
        skippedBytes += docBytes;
        maybePrint();
    }

    /** A document or input record that failed, of {@code docBytes} input bytes (0 when unknown). */
    synchronized void failed(long docBytes) {
        failed++;
        failedBytes += docBytes;
        maybePrint();
    }

    private void maybePrint() {
        long now = clock.getAsLong();
        long every = terminal ? 500_000_000L : 10_000_000_000L;
        if (!lines || now - lastPrint < every) {
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

    synchronized String line(long now) {
        return line(now, true);
    }

    private String line(long now, boolean eta) {
        double secs = Math.max(1e-9, (now - started) / 1e9);
        StringBuilder sb = new StringBuilder("ingest: ");
        long handledBytes = bytes + failedBytes + (long) inFlightBytes;
        if (totalBytes != null && totalBytes > 0) {
            long at = Math.min(totalBytes, handledBytes + skippedBytes);
            sb.append(String.format(Locale.ROOT, "%.1f%% (%s of %s) | ", 100.0 * at / totalBytes, size(at),
                    size(totalBytes)));
        }
        sb.append(String.format(Locale.ROOT, "%d docs", docs));
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
                (tokens + inFlightTokens) / secs));
        long handled = docs + failed;
        if (!eta) {
            return sb.toString();
        }
        if (totalBytes != null && handledBytes > 0) {
            long left = Math.max(0, totalBytes - handledBytes - skippedBytes);
            sb.append(" | ETA ").append(duration((long) (left * secs / handledBytes)));
        } else if (total != null && handled > 0) {
            long left = Math.max(0, total - handled - skipped);
            sb.append(" | ETA ").append(duration((long) (left * secs / handled)));
        }
        return sb.toString();
    }

    /** The final summary; printed even in quiet mode only when something failed. */
    synchronized void summary(Path errors) {
        long now = clock.getAsLong();
        if (lines && terminal) {
            out.println();
        }
        if (!quiet || failed > 0) {
            out.println(line(now, false).replace("ingest: ", "ingest done: ") + " | " + duration((now - started) / 1_000_000_000L)
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
