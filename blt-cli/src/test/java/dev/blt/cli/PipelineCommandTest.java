package dev.blt.cli;

import dev.blt.data.tensors.SafeTensorsFile;
import dev.blt.waterfill.io.NpzReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
            try (SafeTensorsFile st = SafeTensorsFile.open(out.resolve("ingest").resolve(id + ".safetensors"))) {
                patches = st.info("patch_prominence").shape()[0];
            }
            Path sphere = out.resolve("sphere").resolve("sphere_" + id + ".npz");
            assertTrue(Files.isRegularFile(sphere), sphere + " missing; stdout: " + r.out());
            try (NpzReader npz = NpzReader.open(sphere)) {
                // patch level: one point per patch, all of them with positive prominence
                assertEquals(patches, npz.header("radii").shape()[0], id);
            }
        }
    }
}
