package dev.blt.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which documents each forward pass started and ended, one JSON line each ({@code started} / {@code ended} with
 * the documents' ids), so that a resumed run knows what a crash interrupted (a native crash, the system's
 * out-of-memory killer, a kill): a document interrupted once is retried in a batch of its own; a document interrupted
 * {@link #GIVE_UP} times is skipped and reported rather than allowed to end every resumed run the same way.
 */
final class Attempts implements IngestPipeline.Journal, AutoCloseable {
    static final int GIVE_UP = 2;

    private final JsonLinesLog log;
    private final Map<String, Integer> interrupted = new HashMap<>();

    private Attempts(JsonLinesLog log) {
        this.log = log;
    }

    static Attempts open(Path file) throws IOException {
        Attempts a = new Attempts(JsonLinesLog.open(file));
        for (JsonNode n : JsonLinesLog.read(file)) {
            int delta = n.has("started") ? 1 : -1;
            for (JsonNode id : n.has("started") ? n.get("started") : n.path("ended")) {
                a.interrupted.merge(id.asText(), delta, Integer::sum);
            }
        }
        return a;
    }

    /** How many earlier passes over this document were started and never ended. */
    int interrupted(String id) {
        return Math.max(0, interrupted.getOrDefault(id, 0));
    }

    @Override
    public void started(List<IngestDocument> docs) throws IOException {
        append("started", docs);
    }

    @Override
    public void ended(List<IngestDocument> docs) throws IOException {
        append("ended", docs);
    }

    private void append(String what, List<IngestDocument> docs) throws IOException {
        ObjectNode o = JsonLinesLog.JSON.createObjectNode();
        ArrayNode ids = o.putArray(what);
        docs.forEach(d -> ids.add(d.id()));
        log.append(o);
    }

    @Override
    public void close() throws IOException {
        log.close();
    }
}
