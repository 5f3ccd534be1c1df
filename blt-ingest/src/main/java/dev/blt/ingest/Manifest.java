package dev.blt.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

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
            m.remember(n.get("ordinal").asLong(), n.get("id").asText(), n.path("parts").asInt(1));
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
        o.put("ordinal", doc.ordinal()).put("id", doc.id()).put("name", w.name()).put("tokens", w.tokens())
                .put("patches", w.patches()).put("parts", doc.partsOfOrdinal());
        log.append(o);
        remember(doc.ordinal(), doc.id(), doc.partsOfOrdinal());
    }

    @Override
    public void close() throws IOException {
        log.close();
    }
}
