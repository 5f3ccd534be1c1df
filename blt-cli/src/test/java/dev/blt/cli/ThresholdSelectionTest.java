package dev.blt.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blt.data.format.IngestFormat;
import dev.blt.data.tensors.DType;
import dev.blt.data.tensors.SafeTensorsFile;
import dev.blt.model.Fixtures;
import dev.blt.model.ModelWeights;
import dev.blt.patching.PatchOptions;
import dev.blt.patching.ThresholdChoice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which threshold {@code entropy} and {@code ingest} patch with, and what their outputs say about where it came from. */
class ThresholdSelectionTest {
    private static final String TEXT = IngestTestSupport.fixtureText("para");

    @TempDir
    Path dir;

    /** The fixture model saved with a recommended threshold in its metadata (and its config, so no --model-config). */
    private Path recommending(float threshold) throws IOException {
        Path w = dir.resolve("recommending.safetensors");
        Fixtures.weights("swa").save(w, DType.F32, Map.of(ModelWeights.RECOMMENDED_THRESHOLD_KEY,
                Float.toString(threshold), ModelWeights.RECOMMENDED_THRESHOLD_TARGET_KEY, "4.5"));
        return w;
    }

    private Map<String, String> entropy(String... args) throws IOException {
        Path out = dir.resolve("e.safetensors");
        List<String> all = new java.util.ArrayList<>(List.of("entropy", "--text", TEXT, "--out", out.toString()));
        all.addAll(List.of(args));
        CliRun r = CliRun.of(all.toArray(new String[0]));
        assertEquals(0, r.exitCode(), r.err());
        try (SafeTensorsFile st = SafeTensorsFile.open(out)) {
            Map<String, String> m = new LinkedHashMap<>(st.metadata());
            long[] lengths = st.readLongs("patch_lengths");
            long positions = 0;
            for (long l : lengths) {
                positions += l;
            }
            m.put("mean_patch", Double.toString((double) positions / lengths.length));
            return m;
        }
    }

    @Test
    void entropyTakesTheGivenThenTheTargetThenTheModelsThenTheDefault() throws IOException {
        String w = recommending(0.75f).toString();
        Map<String, String> m = entropy("--weights", w);
        assertEquals("0.75", m.get("threshold"));
        assertEquals(ThresholdChoice.FROM_MODEL, m.get("threshold_source"));
        assertEquals("float32", m.get("precision"));

        m = entropy("--weights", w, "--threshold", "2.0");
        assertEquals("2.0", m.get("threshold"));
        assertEquals(ThresholdChoice.GIVEN, m.get("threshold_source"));

        m = entropy("--weights", w, "--target-patch-size", "3");
        assertEquals("--target-patch-size 3.0 on the input", m.get("threshold_source"));
        assertEquals(3.0, Double.parseDouble(m.get("mean_patch")), 0.2);

        m = entropy(IngestTestSupport.fixtureModel().toArray(new String[0]));
        assertEquals(Double.toString(PatchOptions.DEFAULT_THRESHOLD), m.get("threshold"));
        assertEquals(ThresholdChoice.DEFAULT, m.get("threshold_source"));
    }

    @Test
    void aConvertedModelKeepsItsRecommendedThreshold() throws IOException {
        Path out = dir.resolve("bf16.safetensors");
        CliRun c = CliRun.of("convert", "--in", recommending(0.625f).toString(), "--out", out.toString(), "--dtype",
                "bf16");
        assertEquals(0, c.exitCode(), c.err());
        assertEquals(0.625f, ModelWeights.recommendedThreshold(out));
    }

    @Test
    void aThresholdAndATargetAreAUsageError() {
        CliRun.assertOneLineError(CliRun.of("entropy", "--text", "x", "--out", dir.resolve("x").toString(),
                "--threshold", "1", "--target-patch-size", "4"), "--threshold and --target-patch-size");
        CliRun.assertOneLineError(IngestTestSupport.ingestCaptured("--input", "x.jsonl", "--output",
                dir.resolve("o").toString(), "--threshold", "1", "--target-patch-size", "4"),
                "--threshold and --target-patch-size");
        CliRun.assertOneLineError(IngestTestSupport.ingestCaptured("--input", "x.jsonl", "--output",
                dir.resolve("o").toString(), "--monotonicity", "--target-patch-size", "4"), "--target-patch-size");
    }

    @Test
    void ingestRecordsTheModelsThreshold() throws IOException {
        Path in = docs(3);
        Path out = dir.resolve("model");
        assertEquals(0, Main.run("ingest", "--quiet", "--weights", recommending(0.5f).toString(), "--input",
                in.toString(), "--output", out.toString()));
        JsonNode run = IngestTestSupport.JSON.readTree(out.resolve("run.json").toFile());
        assertEquals(0.5, run.get(IngestFormat.PATCHING).get("threshold").asDouble());
        assertEquals(ThresholdChoice.FROM_MODEL, run.get(IngestFormat.PATCHING).get("threshold_source").asText());
        JsonNode sidecar = IngestTestSupport.JSON.readTree(out.resolve(IngestFormat.sidecarFile("d0")).toFile());
        assertEquals(ThresholdChoice.FROM_MODEL, sidecar.get(IngestFormat.PATCHING).get("threshold_source").asText());
    }

    /**
     * A calibrated run: the mean patch over the calibration documents is the target's, the source is recorded, and
     * a resumed run keeps the recorded threshold rather than calibrating again.
     */
    @Test
    void ingestCalibratesOnItsFirstDocumentsAndResumesWithTheSameThreshold() throws IOException {
        Path in = docs(5);
        Path out = dir.resolve("calibrated");
        String[] args = {"--input", in.toString(), "--output", out.toString(), "--target-patch-size", "4",
            "--calibration-documents", "3"};
        assertEquals(0, IngestTestSupport.ingest(args));
        JsonNode run = IngestTestSupport.JSON.readTree(out.resolve("run.json").toFile());
        JsonNode patching = run.get(IngestFormat.PATCHING);
        assertEquals("--target-patch-size 4.0 on the first 3 documents", patching.get("threshold_source").asText());
        long tokens = 0;
        long patches = 0;
        for (JsonNode n : IngestTestSupport.jsonLines(out.resolve("manifest.jsonl"))) {
            if (n.get("ordinal").asLong() < 3) {
                tokens += n.get("tokens").asLong();
                patches += n.get("patches").asLong();
            }
        }
        assertEquals(4.0, (double) tokens / patches, 0.1, "mean patch over the calibration documents");

        // were the calibration redone, its threshold would differ from this recorded one and the resume be refused
        ((ObjectNode) patching).put("threshold", 1.25);
        Files.writeString(out.resolve("run.json"), IngestTestSupport.JSON.writeValueAsString(run));
        assertEquals(0, IngestTestSupport.ingest(concat(args, "--resume")));
        CliRun changed = IngestTestSupport.ingestCaptured("--input", in.toString(), "--output", out.toString(),
                "--target-patch-size", "4", "--calibration-documents", "2", "--resume");
        assertEquals(Main.EXIT_USAGE, changed.exitCode(), changed.err());
        assertTrue(changed.err().contains("cannot resume with different settings"), changed.err());
    }

    private Path docs(int n) throws IOException {
        Map<String, String> docs = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            docs.put("d" + i, TEXT.substring(i * 20) + " " + i);
        }
        return IngestTestSupport.jsonl(dir.resolve("docs.jsonl"), docs);
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
