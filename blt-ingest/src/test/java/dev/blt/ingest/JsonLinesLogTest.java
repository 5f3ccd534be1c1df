package dev.blt.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JsonLinesLogTest {
    @TempDir
    Path tmp;

    @Test
    void aTornLastLineFromACrashIsIgnoredAndCutBeforeAppending() throws IOException {
        Path f = tmp.resolve("manifest.jsonl");
        Files.writeString(f, "{\"ordinal\":0,\"id\":\"a\"}\n{\"ordinal\":1,\"id\":\"b\"}\n{\"ordinal\":2,\"id");
        assertEquals(2, JsonLinesLog.read(f).size());
        try (Manifest m = Manifest.open(f)) {
            assertEquals(2, m.size());
            assertEquals(true, m.finished(1));
            assertEquals(false, m.finished(2));
            assertEquals(1L, m.ordinalOf("b"));
        }
        try (JsonLinesLog log = JsonLinesLog.open(f)) {
            log.append(JsonLinesLog.JSON.createObjectNode().put("ordinal", 2).put("id", "c"));
        }
        List<JsonNode> lines = JsonLinesLog.read(f);
        assertEquals(List.of("a", "b", "c"), lines.stream().map(n -> n.get("id").asText()).toList());
        assertEquals("{\"ordinal\":0,\"id\":\"a\"}\n{\"ordinal\":1,\"id\":\"b\"}\n{\"ordinal\":2,\"id\":\"c\"}\n",
                Files.readString(f));
    }
}
