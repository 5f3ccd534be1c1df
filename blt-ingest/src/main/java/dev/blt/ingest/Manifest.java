package dev.blt.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blt.data.format.IngestFormat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The documents a run has finished, in the order they finished: one JSON line each ({@code ordinal}, {@code id},
 * {@code name}, {@code tokens}, {@code patches}, {@code parts}), appended after the document's files are in place.
 * Resuming skips exactly these; a document whose files were renamed but not yet recorded is redone and its files
 * replaced, so no document is lost or written twice. An input record cut into parts is finished when all its
 * {@code parts} are.
 */
final class Manifest implements AutoCloseable {
    private final JsonLinesLog log;
    private final Map<Long, Integer> partsLeft = new HashMap<>();
    private final Map<String, Long> ordinalById = new HashMap<>();

    private Manifest(JsonLinesLog log) {
        this.log = log;
    }

    static Manifest open(Path file) throws IOException {
        Manifest m = new Manifest(JsonLinesLog.open(file));
        for (JsonNode n : JsonLinesLog.read(file)) {
            m.remember(n.get(IngestFormat.MANIFEST_ORDINAL).asLong(), n.get(IngestFormat.MANIFEST_ID).asText(),
                    n.path(IngestFormat.MANIFEST_PARTS).asInt(1));
        }
        return m;
    }

    private void remember(long ordinal, String id, int parts) {
        if (ordinalById.put(id, ordinal) == null) {
            partsLeft.merge(ordinal, parts - 1, (left, ignored) -> left - 1);
        }
    }

    /** Whether the input record at {@code ordinal} is finished, all its parts included. */
    boolean finished(long ordinal) {
        Integer left = partsLeft.get(ordinal);
        return left != null && left <= 0;
    }

    /** Whether the document (or part) with this id is finished. */
    boolean finished(String id) {
        return ordinalById.containsKey(id);
    }

    /** The ordinal of another finished document with this id, or null. */
    Long ordinalOf(String id) {
        return ordinalById.get(id);
    }

    int size() {
        return ordinalById.size();
    }

    void record(IngestDocument doc, DocumentWriter.Written w) throws IOException {
        ObjectNode o = JsonLinesLog.JSON.createObjectNode();
        o.put(IngestFormat.MANIFEST_ORDINAL, doc.ordinal()).put(IngestFormat.MANIFEST_ID, doc.id())
                .put(IngestFormat.MANIFEST_NAME, w.name()).put(IngestFormat.MANIFEST_TOKENS, w.tokens())
                .put(IngestFormat.MANIFEST_PATCHES, w.patches()).put(IngestFormat.MANIFEST_PARTS, doc.partsOfOrdinal());
        log.append(o);
        remember(doc.ordinal(), doc.id(), doc.partsOfOrdinal());
    }

    @Override
    public void close() throws IOException {
        log.close();
    }
}
