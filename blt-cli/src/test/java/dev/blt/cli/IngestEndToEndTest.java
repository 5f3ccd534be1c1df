package dev.blt.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blt.data.format.IngestFormat;
import dev.blt.data.tensors.SafeTensorsFile;
import dev.blt.model.Fixtures;
import dev.blt.patching.EntropyPatcher;
import dev.blt.patching.PatchOptions;
import dev.blt.patching.Patches;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.blt.cli.IngestTestSupport.expectedTokens;
import static dev.blt.cli.IngestTestSupport.fixtureText;
import static dev.blt.cli.IngestTestSupport.ingest;
import static dev.blt.cli.IngestTestSupport.ingestCaptured;
import static dev.blt.cli.IngestTestSupport.jsonLines;
import static dev.blt.cli.IngestTestSupport.jsonl;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ./blt ingest} end to end on the fixture model: inputs on disk in, outputs read back from disk. */
class IngestEndToEndTest {
    /** See FixtureParityTest: float32 here and in PyTorch each carry ~1e-5 of round-off. */
    private static final float ENTROPY_TOL = 2e-5f;
    private static final float HIDDEN_TOL = 1e-4f;

    @TempDir
    Path tmp;

    @Test
    void textCodeAndImagesProduceConsistentOutputsAndBadImagesAreReported() throws IOException {
        Map<String, String> texts = new LinkedHashMap<>();
        texts.put("short", fixtureText("short"));
        texts.put("para", fixtureText("para"));
        texts.put("weird/id: ü & spaces", "Ids that are not file names still get a file.");
        texts.put("empty", "");
        Path docs = jsonl(tmp.resolve("in/docs.jsonl"), texts);
        Path code = tmp.resolve("in/src/Hello.java");
        Files.createDirectories(code.getParent());
        Files.writeString(code, "class Hello {\n    public static void main(String[] a) { System.out.println(\"hi\"); }\n}\n");
        Path images = tmp.resolve("in/img");
        Files.createDirectories(images);
        BufferedImage img = new BufferedImage(6, 5, BufferedImage.TYPE_INT_RGB);
        img.setRGB(2, 3, 0x00ff8800);
        ImageIO.write(img, "png", images.resolve("ok.png").toFile());
        byte[] corrupt = Arrays.copyOf(Files.readAllBytes(images.resolve("ok.png")), 30); // header survives, data cut
        Files.write(images.resolve("corrupt.png"), corrupt);
        Path out = tmp.resolve("out");

        CliRun run1 = ingestCaptured("--input", docs.toString(), code.toString(), images.toString(), "--output",
                out.toString(), "--batch", "3", "--dtype", "f32");

        assertEquals(IngestCommand.EXIT_SOME_FAILED, run1.exitCode(), "one document failed, so the exit code says so");
        assertTrue(run1.err().contains("1 failed, see " + out.resolve("errors.jsonl")), run1.err());
        List<JsonNode> errors = jsonLines(out.resolve("errors.jsonl"));
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).get("source").asText().endsWith("corrupt.png"), errors.toString());
        assertTrue(errors.get(0).get("reason").asText().startsWith("image: "), errors.toString());

        List<JsonNode> manifest = jsonLines(out.resolve("manifest.jsonl"));
        List<String> ids = manifest.stream().map(n -> n.get("id").asText()).sorted().collect(Collectors.toList());
        // a plain file named on the command line is identified by its path as given
        assertEquals(List.of(code.toString(), "empty", "ok.png", "para", "short", "weird/id: ü & spaces"), ids);

        for (String id : texts.keySet()) {
            IngestedDoc d = IngestedDoc.read(out, id);
            checkConsistent(d, texts.get(id).getBytes(StandardCharsets.UTF_8), PatchOptions.defaults());
            assertEquals("text", d.sidecar().get("modality").asText());
            assertEquals(docs.toString(), d.metadata().get("source"));
        }
        IngestedDoc java = IngestedDoc.read(out, code.toString());
        checkConsistent(java, Files.readAllBytes(code), PatchOptions.defaults());
        assertEquals("code", java.sidecar().get("modality").asText());
        IngestedDoc png = IngestedDoc.read(out, "ok.png");
        // the model reads the decoded pixels: one 16x16 tile covers the 6x5 image, rows of R, G, B bytes
        checkConsistent(png, rgbRaster(img), PatchOptions.defaults());
        assertEquals("image", png.sidecar().get("modality").asText());
        IngestedDoc.Seg tile = png.segments().get(0);
        assertEquals("tile", tile.label());
        assertEquals("decoded", tile.origin());
        assertEquals(Files.size(images.resolve("ok.png")), png.sidecar().get("byte_length").asLong());

        // against upstream PyTorch's outputs for the same text and weights
        for (String seq : List.of("short", "para")) {
            matchesUpstream(IngestedDoc.read(out, seq), seq);
        }
        IngestedDoc shortDoc = IngestedDoc.read(out, "short");
        assertEquals("short", shortDoc.metadata().get(IngestFormat.DOC_ID));
        assertEquals(64, shortDoc.metadata().get(IngestFormat.MODEL_SHA256).length());
        assertEquals(PatchOptions.DEFAULT_THRESHOLD,
                IngestTestSupport.JSON.readTree(shortDoc.metadata().get(IngestFormat.PATCHING)).get("threshold")
                        .asDouble());
        JsonNode side = shortDoc.sidecar();
        assertEquals(13, side.get("byte_length").asInt());
        assertEquals(shortDoc.patchIndices().length, side.get("patch_count").asInt());
        // the text pre-tokenizer's words tile the document: "Hello," " " "world!"
        long at = 0;
        StringBuilder labels = new StringBuilder();
        for (IngestedDoc.Seg seg : shortDoc.segments()) {
            assertEquals(at, seg.start());
            assertEquals(at, seg.originStart());
            at = seg.end();
            labels.append(seg.label()).append(' ');
        }
        assertEquals(13, at);
        assertEquals(3, shortDoc.segments().size(), labels.toString());
        assertEquals(3, side.get("segments").asInt());
        float min = Float.MAX_VALUE;
        for (float e : shortDoc.entropies()) {
            min = Math.min(min, e);
        }
        assertEquals(min, side.get("entropy_stats").get("min").asDouble(), 1e-6);
    }

    @Test
    void longDocumentInWindowsEqualsOnePassAndUpstream() throws IOException {
        Path docs = jsonl(tmp.resolve("para.jsonl"), Map.of("para", fixtureText("para")));
        Path windowed = tmp.resolve("windowed");
        Path whole = tmp.resolve("whole");
        // 310 tokens: windows of 24 (carried key cache) versus one forward pass over the whole document
        assertEquals(0, ingest("--input", docs.toString(), "--output", windowed.toString(), "--chunk", "24",
                "--dtype", "f32"));
        assertEquals(0, ingest("--input", docs.toString(), "--output", whole.toString(), "--chunk", "4096",
                "--dtype", "f32"));
        IngestedDoc a = IngestedDoc.read(windowed, "para");
        IngestedDoc b = IngestedDoc.read(whole, "para");
        assertEquals(310, a.length());
        assertTrue(maxDiff(a.entropies(), b.entropies()) <= 1e-5f, "entropies " + maxDiff(a.entropies(), b.entropies()));
        assertTrue(maxDiff(a.embeddings(), b.embeddings()) <= 1e-5f, "embeddings");
        assertArrayEquals(a.patchIndices(), b.patchIndices());
        matchesUpstream(a, "para");
        matchesUpstream(b, "para");
    }

    @Test
    void aDocumentsOutputsDoNotDependOnWhatItIsBatchedWith() throws IOException {
        Path alone = jsonl(tmp.resolve("alone.jsonl"), Map.of("short", fixtureText("short")));
        Map<String, String> crowd = new LinkedHashMap<>();
        crowd.put("before", "A longer neighbour that ends with no newline and pads the batch: " + "x".repeat(120));
        crowd.put("short", fixtureText("short"));
        crowd.put("after", "zzz");
        crowd.put("para", fixtureText("para"));
        Path together = jsonl(tmp.resolve("together.jsonl"), crowd);
        assertEquals(0, ingest("--input", alone.toString(), "--output", tmp.resolve("a").toString(), "--batch", "1",
                "--dtype", "f32"));
        assertEquals(0, ingest("--input", together.toString(), "--output", tmp.resolve("b").toString(),
                "--batch", "4", "--chunk", "512", "--dtype", "f32"));
        IngestedDoc a = IngestedDoc.read(tmp.resolve("a"), "short");
        IngestedDoc b = IngestedDoc.read(tmp.resolve("b"), "short");
        // a batch of another shape changes BLAS blocking, hence round-off (~3e-6); context leaking in from a
        // neighbour would move entropies by tenths
        assertTrue(maxDiff(a.entropies(), b.entropies()) <= 1e-5f, "entropies " + maxDiff(a.entropies(), b.entropies()));
        assertTrue(maxDiff(a.embeddings(), b.embeddings()) <= 1e-5f, "embeddings");
        matchesUpstream(b, "short");
        matchesUpstream(IngestedDoc.read(tmp.resolve("b"), "para"), "para");
    }

    @Test
    void optionsFromYamlWithCommandLineOverridesAndHalfPrecisionEmbeddings() throws IOException {
        Path docs = jsonl(tmp.resolve("docs.jsonl"), Map.of("para", fixtureText("para")));
        Path out = tmp.resolve("out");
        Path yaml = tmp.resolve("ingest.yaml");
        Files.writeString(yaml, "input: [" + docs + "]\noutput: " + out + "\nthreshold: 9.0\nmonotonicity: true\n"
                + "dtype: bf16\nmax-patch-length: 8\n");
        assertEquals(0, ingest("--config", yaml.toString(), "--threshold", "0.25"));
        IngestedDoc d = IngestedDoc.read(out, "para");
        PatchOptions used = new PatchOptions(0.25, null, true, 8, false);
        checkConsistent(d, fixtureText("para").getBytes(StandardCharsets.UTF_8), used);
        JsonNode patching = IngestTestSupport.JSON.readTree(d.metadata().get(IngestFormat.PATCHING));
        assertEquals(0.25, patching.get("threshold").asDouble());
        assertTrue(patching.get("monotonicity").asBoolean());
        try (SafeTensorsFile st = SafeTensorsFile.open(out.resolve("para.safetensors"))) {
            assertEquals("BF16", st.info(IngestFormat.EMBEDDINGS).dtype().name());
        }
        // the same document under another threshold: the stored run settings refuse a silent mix
        CliRun again = ingestCaptured("--config", yaml.toString(), "--resume");
        CliRun.assertOneLineError(again, "cannot resume with different settings");
    }

    /**
     * The run and every document record the forward pass's precision; a resume keeps it (a run recorded before
     * the option existed computed in float32), and bf16 is refused where the CPU lacks its instructions.
     */
    @Test
    void precisionIsRecordedAndAResumeKeepsIt() throws IOException {
        Path docs = jsonl(tmp.resolve("docs.jsonl"), Map.of("short", fixtureText("short")));
        Path out = tmp.resolve("out");
        assertEquals(0, ingest("--input", docs.toString(), "--output", out.toString()));
        Path runFile = out.resolve("run.json");
        JsonNode run = IngestTestSupport.JSON.readTree(runFile.toFile());
        assertEquals("float32", run.get(IngestFormat.PRECISION).asText());
        assertEquals("float32", IngestedDoc.read(out, "short").metadata().get(IngestFormat.PRECISION));

        ((com.fasterxml.jackson.databind.node.ObjectNode) run).remove(IngestFormat.PRECISION);
        IngestTestSupport.JSON.writeValue(runFile.toFile(), run);
        assertEquals(0, ingest("--input", docs.toString(), "--output", out.toString(), "--resume"),
                "a run recorded without a precision was a float32 run");

        CliRun bf16 = ingestCaptured("--input", docs.toString(), "--output", out.toString(), "--resume",
                "--precision", "bf16");
        if (dev.blt.model.Precision.BF16.supported()) {
            CliRun.assertOneLineError(bf16, "cannot resume with different settings: precision");
        } else {
            CliRun.assertOneLineError(bf16, "--precision", "AVX512_BF16", "--precision float32");
        }
    }

    @Test
    void refusesToMixRunsInOneDirectoryWithoutResume() throws IOException {
        Path docs = jsonl(tmp.resolve("docs.jsonl"), Map.of("short", fixtureText("short")));
        Path out = tmp.resolve("out");
        assertEquals(0, ingest("--input", docs.toString(), "--output", out.toString()));
        CliRun.assertOneLineError(ingestCaptured("--input", docs.toString(), "--output", out.toString()),
                "holds an earlier ingest run", "pass --resume");
        assertEquals(0, ingest("--input", docs.toString(), "--output", out.toString(), "--resume"));
        assertEquals(1, jsonLines(out.resolve("manifest.jsonl")).size(), "the finished document is not redone");
    }

    @Test
    void resumeRetriesDocumentsThatFailedAndTheErrorLogDescribesTheLatestPass() throws IOException {
        Path images = tmp.resolve("img");
        Files.createDirectories(images);
        Path pic = images.resolve("pic.png");
        Files.write(pic, new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H'});
        Files.writeString(images.resolve("note.txt"), "a note next to the picture");
        Path out = tmp.resolve("out");
        CliRun failed = ingestCaptured("--input", images.toString(), "--output", out.toString());
        assertEquals(IngestCommand.EXIT_SOME_FAILED, failed.exitCode(), failed.err());
        assertTrue(failed.err().contains("1 failed, see " + out.resolve("errors.jsonl")), failed.err());
        assertEquals(1, jsonLines(out.resolve("errors.jsonl")).size());
        assertEquals(List.of("note.txt"), jsonLines(out.resolve("manifest.jsonl")).stream()
                .map(n -> n.get("id").asText()).collect(Collectors.toList()));

        ImageIO.write(new BufferedImage(3, 3, BufferedImage.TYPE_BYTE_GRAY), "png", pic.toFile()); // repaired
        assertEquals(0, ingest("--input", images.toString(), "--output", out.toString(), "--resume"));
        assertEquals(List.of(), jsonLines(out.resolve("errors.jsonl")));
        assertEquals(List.of("note.txt", "pic.png"), jsonLines(out.resolve("manifest.jsonl")).stream()
                .map(n -> n.get("id").asText()).collect(Collectors.toList()));
        assertEquals(9 + 2, IngestedDoc.read(out, "pic.png").length(), "3x3 grey pixels, BOS and EOS");
    }

    /** Shapes, prominence = ||embedding||, patches = the patcher on the stored entropies, and the patch tensors. */
    static void checkConsistent(IngestedDoc d, byte[] input, PatchOptions options) {
        int s = d.length();
        int dim = d.dim();
        assertArrayEquals(expectedTokens(input), d.tokens());
        assertArrayEquals(new long[]{s, 64}, d.shapeEmbeddings());
        assertEquals(s, d.prominence().length);
        assertEquals(s, d.entropies().length);
        assertEquals(s, d.patchMask().length);
        for (int i = 0; i < s; i++) {
            double sq = 0;
            for (int j = 0; j < dim; j++) {
                sq += (double) d.embeddings()[i * dim + j] * d.embeddings()[i * dim + j];
            }
            // stored embeddings may be rounded (bf16/f16); prominence is the norm of the float32 ones
            double tol = (1e-5 + d.storageEps()) * Math.max(1, Math.sqrt(sq));
            assertEquals(Math.sqrt(sq), d.prominence()[i], tol, "prominence at " + i);
        }
        Patches p = EntropyPatcher.patches(d.entropies(), options);
        assertArrayEquals(p.starts(), d.patchIndices());
        assertArrayEquals(p.lengths(), d.patchLengths());
        assertEquals(s, Arrays.stream(d.patchLengths()).sum());
        int n = d.patchIndices().length;
        assertArrayEquals(new long[]{n, dim}, d.shapePatchEmbeddings());
        for (int k = 0; k < n; k++) {
            int start = (int) d.patchIndices()[k];
            assertEquals(1, d.patchMask()[start]);
            float max = Float.NEGATIVE_INFINITY;
            for (int i = start; i < start + d.patchLengths()[k]; i++) {
                max = Math.max(max, d.prominence()[i]);
            }
            assertEquals(max, d.patchProminence()[k], 0f);
            for (int j = 0; j < dim; j++) {
                double sum = 0;
                double largest = 0;
                for (int i = start; i < start + d.patchLengths()[k]; i++) {
                    sum += d.embeddings()[i * dim + j];
                    largest = Math.max(largest, Math.abs(d.embeddings()[i * dim + j]));
                }
                assertEquals(sum / d.patchLengths()[k], d.patchEmbeddings()[k * dim + j],
                        (1e-5 + 3 * d.storageEps()) * (1 + largest), "patch embedding " + k + "," + j);
            }
        }
        assertEquals(n, Arrays.stream(d.patchMask()).sum());
    }

    private static void matchesUpstream(IngestedDoc d, String seq) throws IOException {
        try (SafeTensorsFile st = Fixtures.tensors("entropy_swa.safetensors")) {
            String p = "fixture." + seq + ".";
            assertArrayEquals(st.readLongs(p + "tokens"), d.tokens(), seq + " tokens");
            assertTrue(maxDiff(st.readFloats(p + "entropies"), d.entropies()) <= ENTROPY_TOL, seq + " entropies");
            assertTrue(maxDiff(st.readFloats(p + "prenorm"), d.embeddings()) <= HIDDEN_TOL, seq + " embeddings");
            assertTrue(maxDiff(st.readFloats(p + "norms"), d.prominence()) <= HIDDEN_TOL, seq + " prominence");
            // upstream's patch lengths at its default-like threshold 1.35 (no next token): same patches
            long[] upstream = Arrays.stream(st.readLongs(p + "patch_lengths.t1.35")).filter(l -> l > 0).toArray();
            assertArrayEquals(upstream, EntropyPatcher.patches(d.entropies(), PatchOptions.defaults().withThreshold(1.35)).lengths(),
                    seq + " patches at t=1.35");
        }
    }

    private static byte[] rgbRaster(BufferedImage img) {
        byte[] out = new byte[img.getWidth() * img.getHeight() * 3];
        int k = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                out[k++] = (byte) (rgb >> 16);
                out[k++] = (byte) (rgb >> 8);
                out[k++] = (byte) rgb;
            }
        }
        return out;
    }

    static float maxDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        float m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
