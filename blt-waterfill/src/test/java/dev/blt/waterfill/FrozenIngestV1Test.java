package dev.blt.waterfill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blt.data.format.IngestFormat;
import dev.blt.waterfill.config.ConfigFiles;
import dev.blt.waterfill.config.WaterFillConfig;
import dev.blt.waterfill.io.NpzReader;
import dev.blt.waterfill.io.ResultWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Outputs of the earlier ingest format stay readable: a v1 document written by that release, kept as it was. */
class FrozenIngestV1Test {
    private static final Path DIR = Path.of("src/test/resources/frozen-ingest-v1");
    private static final String NAME = "%2Ftmp%2Ffrozen-v1%2Fhello.txt";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path out;

    private static JsonNode sidecar() throws IOException {
        return JSON.readTree(DIR.resolve(IngestFormat.sidecarFile(NAME)).toFile());
    }

    private NpzReader fill(String config, int points) throws IOException {
        List<String> log = new ArrayList<>();
        List<WaterFill.FileOutcome> outcomes = WaterFill.run(ConfigFiles.parse(config), List.of(DIR), out, log::add);
        assertEquals(1, outcomes.size(), log.toString());
        WaterFill.FileOutcome o = outcomes.get(0);
        assertEquals(WaterFill.Status.WRITTEN, o.status(), String.valueOf(o.message()));
        assertEquals(points, o.points());
        NpzReader npz = NpzReader.open(o.output());
        assertEquals(points, npz.header("radii").shape()[0]);
        return npz;
    }

    @Test
    void isTheEarlierFormat() throws IOException {
        assertEquals(IngestFormat.V1, sidecar().get(IngestFormat.FORMAT).asText());
        assertTrue(sidecar().get(IngestFormat.SEGMENTS).isArray(), "v1 keeps its segments as objects");
    }

    @Test
    void tokenLevelPlacesEveryToken() throws IOException {
        try (NpzReader npz = fill("level: token\n", sidecar().get(IngestFormat.TOKENS).asInt())) {
            assertTrue(npz.contains("original_entropies"));
        }
    }

    /** v1 has no patch entropies: the patch level without an entropy mode needs none. */
    @Test
    void patchLevelWithoutEntropiesPlacesEveryPatch() throws IOException {
        try (NpzReader npz = fill("level: patch\n", sidecar().get(IngestFormat.PATCH_COUNT).asInt())) {
            assertFalse(npz.contains("original_entropies"));
        }
    }

    @Test
    void theSphereNamesTheModelOfTheIngest() throws IOException {
        try (NpzReader npz = fill("level: patch\n", sidecar().get(IngestFormat.PATCH_COUNT).asInt())) {
            JsonNode provenance = JSON.readTree(npz.readString(ResultWriter.PROVENANCE));
            assertEquals(sidecar().get(IngestFormat.MODEL_SHA256).asText(),
                    provenance.get(IngestFormat.MODEL_SHA256).asText());
            assertEquals(IngestFormat.V1, provenance.get(IngestFormat.FORMAT).asText());
            assertEquals(sidecar().get(IngestFormat.PATCHING), provenance.get(IngestFormat.PATCHING));
            assertEquals(64, provenance.get(IngestFormat.MODEL_CONFIG).get("dim").asInt());
        }
    }

    /** The entropy modes at patch level need what v1 never wrote; the run says so instead of placing anything. */
    @Test
    void patchLevelEntropyModesSayTheEntropiesAreMissing() throws IOException {
        WaterFillConfig config = ConfigFiles.parse("level: patch\nentropy_mode: penalize\n");
        List<WaterFill.FileOutcome> outcomes = WaterFill.run(config, List.of(DIR), out, m -> { });
        assertEquals(WaterFill.Status.FAILED, outcomes.get(0).status());
        assertTrue(outcomes.get(0).message().contains("needs entropies"), outcomes.get(0).message());
    }
}
