package dev.blt.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blt.data.dataset.BadInput;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/** {@code errors.jsonl}: one line per document or input record that could not be ingested, with the reason. */
final class ErrorLog implements AutoCloseable {
    private final JsonLinesLog log;
    private final AtomicLong count = new AtomicLong();

    ErrorLog(Path file) throws IOException {
        this.log = JsonLinesLog.open(file);
    }

    void document(IngestDocument doc, String reason) {
        document(doc.id(), doc.source(), doc.row(), reason);
    }

    void document(String id, String source, long row, String reason) {
        ObjectNode o = JsonLinesLog.JSON.createObjectNode();
        o.put("id", id).put("source", source).put("row", row).put("reason", reason);
        append(o);
    }

    /** A record or file the reader had to skip (bad JSON line, unreadable Parquet file). */
    void badInput(BadInput b) {
        ObjectNode o = JsonLinesLog.JSON.createObjectNode();
        o.put("source", b.file());
        if (b.position() != null) {
            o.put("position", b.position());
        }
        o.put("reason", b.message());
        append(o);
    }

    private void append(ObjectNode o) {
        count.incrementAndGet();
        try {
            log.append(o);
        } catch (IOException e) {
            throw new UncheckedIOException(log.file() + ": cannot record an error: " + e.getMessage(), e);
        }
    }

    long count() {
        return count.get();
    }

    @Override
    public void close() throws IOException {
        log.close();
    }
}
