package dev.blt.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blt.data.format.IngestFormat;
import dev.blt.data.tensors.SafeTensorsFile;
import dev.blt.waterfill.io.NpzReader;
import dev.blt.waterfill.io.ResultWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ./blt pipeline}: ingest and water-filling chained in one JVM. */
class PipelineCommandTest {
    @TempDir
    Path dir;

    @Test
    void ingestsThenPlacesEveryDocumentOnTheSphere() throws IOException {
        Map<String, String> docs = new LinkedHashMap<>();
        docs.put("a", IngestTestSupport.fixtureText("para"));
        docs.put("b", "Entropy patching groups predictable bytes.");
        Path input = IngestTestSupport.jsonl(dir.resolve("docs.jsonl"), docs);
        Path out = dir.resolve("out");
        List<String> args = new ArrayList<>(List.of("pipeline", "--quiet", "--input", input.toString(),
                "--output", out.toString(), "--level", "patch"));
        args.addAll(IngestTestSupport.fixtureModel());
        CliRun r = CliRun.of(args.toArray(new String[0]));
        assertEquals(0, r.exitCode(), r.err());
        for (String id : docs.keySet()) {
            long patches;
            try (SafeTensorsFile st = SafeTensorsFile.open(out.resolve("ingest")
                    .resolve(IngestFormat.tensorsFile(id)))) {
                patches = st.info(IngestFormat.PATCH_PROMINENCE).shape()[0];
            }
            Path sphere = out.resolve("sphere").resolve("sphere_" + id + ".npz");
            assertTrue(Files.isRegularFile(sphere), sphere + " missing; stdout: " + r.out());
            try (NpzReader npz = NpzReader.open(sphere)) {
                // patch level: one point per patch, all of them with positive prominence
                assertEquals(patches, npz.header("radii").shape()[0], id);
            }
        }
    }

    private static CliRun pipeline(Path input, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("pipeline", "--quiet", "--input", input.toString(),
                "--output", out.toString()));
        args.addAll(IngestTestSupport.fixtureModel());
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(new String[0]));
    }

    private static List<String> ids(Path ingestDir) throws IOException {
        return IngestTestSupport.jsonLines(ingestDir.resolve("manifest.jsonl")).stream()
                .map(n -> n.get("id").asText()).sorted().toList();
    }

    /**
     * A re-run is refused naming both ways out; --resume finishes an interrupted run's ingest and then makes its
     * sphere whole; --overwrite replaces both stages, leaving no sphere file of the earlier run.
     */
    @Test
    void aRerunIsRefusedResumeFinishesBothStagesAndOverwriteReplacesThem() throws IOException {
        Path input = IngestTestSupport.jsonl(dir.resolve("docs.jsonl"), Map.of("a", "first text", "b", "second text"));
        Path out = dir.resolve("out");
        CliRun first = pipeline(input, out);
        assertEquals(0, first.exitCode(), first.err());
        CliRun again = pipeline(input, out);
        CliRun.assertOneLineError(again, out.toString(), "--resume", "--overwrite");

        // as a run killed while ingesting b would have left it: b unfinished, no sphere yet for it
        Path ingest = out.resolve("ingest");
        Files.write(ingest.resolve("manifest.jsonl"), Files.readAllLines(ingest.resolve("manifest.jsonl")).stream()
                .filter(l -> l.contains("\"id\":\"a\"")).toList());
        Files.delete(out.resolve("sphere").resolve("sphere_b.npz"));
        CliRun resumed = pipeline(input, out, "--resume");
        assertEquals(0, resumed.exitCode(), resumed.err());
        assertEquals(List.of("a", "b"), ids(ingest));
        assertTrue(Files.isRegularFile(out.resolve("sphere").resolve("sphere_a.npz")));
        assertTrue(Files.isRegularFile(out.resolve("sphere").resolve("sphere_b.npz")));

        Path other = IngestTestSupport.jsonl(dir.resolve("other.jsonl"), Map.of("c", "third text"));
        CliRun replaced = pipeline(other, out, "--overwrite");
        assertEquals(0, replaced.exitCode(), replaced.err());
        assertEquals(List.of("c"), ids(ingest));
        try (Stream<Path> s = Files.list(out.resolve("sphere"))) {
            assertEquals(List.of("sphere_c.npz"), s.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void nothingIsCreatedBeforeInputsAndOutputAreChecked() throws IOException {
        Path out = dir.resolve("out");
        CliRun missing = pipeline(dir.resolve("nope.jsonl"), out);
        CliRun.assertOneLineError(missing, "nope.jsonl", "no such file");
        assertFalse(Files.exists(out), "no output folder for a run that cannot start");

        Path input = IngestTestSupport.jsonl(dir.resolve("docs.jsonl"), Map.of("a", "text"));
        Path file = Files.writeString(dir.resolve("out.txt"), "not a folder");
        CliRun.assertOneLineError(pipeline(input, file), "out.txt", "not a directory");
    }

    /**
     * The patch-level entropy modes need {@code patch_entropies}, which ingest writes: entropy-weighted and exact
     * ranked with the entropy penalty place every patch of every document, keep each patch's entropy, and name the
     * model that made the embeddings.
     */
    @Test
    void patchLevelEntropyModesPlaceEveryPatchOfAnIngestOutput() throws IOException {
        Map<String, String> docs = new LinkedHashMap<>();
        docs.put("a", IngestTestSupport.fixtureText("para"));
        docs.put("b", "Entropy patching groups predictable bytes.");
        docs.put("c", "A third, shorter one.");
        Path ingest = dir.resolve("ingest");
        Path input = IngestTestSupport.jsonl(dir.resolve("docs.jsonl"), docs);
        assertEquals(0, IngestTestSupport.ingest("--input", input.toString(), "--output", ingest.toString()));
        Map<String, float[]> patchEntropies = new LinkedHashMap<>();
        String modelSha = null;
        for (String id : docs.keySet()) {
            try (SafeTensorsFile st = SafeTensorsFile.open(ingest.resolve(IngestFormat.tensorsFile(id)))) {
                patchEntropies.put(id, st.readFloats(IngestFormat.PATCH_ENTROPIES));
                modelSha = st.metadata().get(IngestFormat.MODEL_SHA256);
            }
        }
        // the legacy temperature underflows on real entropies, as the config file says
        Path weighted = Files.writeString(dir.resolve("weighted.yaml"),
                "algorithm: entropy-weighted\nlevel: patch\nlegacy:\n  entropy_temperature: 1.0\n");
        Path penalized = Files.writeString(dir.resolve("penalized.yaml"),
                "algorithm: exact\nlevel: patch\nentropy_mode: penalize\n");
        for (Path config : List.of(weighted, penalized)) {
            Path sphere = dir.resolve("sphere-" + config.getFileName());
            CliRun r = CliRun.of("waterfill", "--input", ingest.toString(), "--output", sphere.toString(),
                    "--config", config.toString());
            assertEquals(0, r.exitCode(), config + ": " + r.err());
            long points = 0;
            for (Map.Entry<String, float[]> doc : patchEntropies.entrySet()) {
                try (NpzReader npz = NpzReader.open(sphere.resolve("sphere_" + doc.getKey() + ".npz"))) {
                    assertEquals(doc.getValue().length, npz.header("radii").shape()[0], config + " " + doc.getKey());
                    assertArrayEquals(doc.getValue(), npz.readFloats("original_entropies"), doc.getKey());
                    JsonNode provenance = IngestTestSupport.JSON.readTree(npz.readString(ResultWriter.PROVENANCE));
                    assertEquals(modelSha, provenance.get(IngestFormat.MODEL_SHA256).asText());
                    assertEquals(IngestFormat.CURRENT, provenance.get(IngestFormat.FORMAT).asText());
                    assertEquals(64, provenance.get(IngestFormat.MODEL_CONFIG).get("dim").asInt());
                    points += npz.header("radii").shape()[0];
                }
            }
            assertEquals(patchEntropies.values().stream().mapToLong(e -> e.length).sum(), points, config.toString());
        }
    }
}
