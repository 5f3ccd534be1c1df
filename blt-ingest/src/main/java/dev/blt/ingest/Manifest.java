package dev.blt.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The documents a run has finished, in the order they finished: one JSON line each ({@code ordinal}, {@code id},
 * {@code name}, {@code tokens}, {@code patches}), appended after the document's files are in place. Resuming skips
 * exactly these; a document whose files were renamed but not yet recorded is redone and its files replaced, so no
 * document is lost or written twice.
 */
final class Manifest implements AutoCloseable {
    private final JsonLinesLog log;
    private final Map<Long, String> idByOrdinal = new HashMap<>();
    private final Map<String, Long> ordinalById = new HashMap<>();

    private Manifest(JsonLinesLog log) {
        this.log = log;
    }

    static Manifest open(Path file) throws IOException {
        Manifest m = new Manifest(JsonLinesLog.open(file));
        for (JsonNode n : JsonLinesLog.read(file)) {
            m.remember(n.get("ordinal").asLong(), n.get("id").asText());
        }
        return m;
    }

    private void remember(long ordinal, String id) {
        idByOrdinal.put(ordinal, id);
        ordinalById.put(id, ordinal);
    }

    boolean finished(long ordinal) {
        return idByOrdinal.containsKey(ordinal);
    }

    /** The ordinal of another finished document with this id, or null. */
    Long ordinalOf(String id) {
        return ordinalById.get(id);
    }

    int size() {
        return idByOrdinal.size();
    }

    void record(IngestDocument doc, String name, DocumentTensors t) throws IOException {
        ObjectNode o = JsonLinesLog.JSON.createObjectNode();
        o.put("ordinal", doc.ordinal()).put("id", doc.id()).put("name", name).put("tokens", t.length())
                .put("patches", t.patches().count());
        log.append(o);
        remember(doc.ordinal(), doc.id());
    }

    @Override
    public void close() throws IOException {
        log.close();
    }
}
