package dev.blt.ingest;

import dev.blt.data.dataset.Document;
import dev.blt.data.format.IngestFormat;
import dev.blt.data.pretokenize.Modality;
import dev.blt.data.tensors.DType;
import dev.blt.data.tensors.SafeTensorsFile;
import dev.blt.data.tokenizer.ByteTokenizer;
import dev.blt.model.Output;
import dev.blt.model.Precision;
import dev.blt.model.Scores;
import dev.blt.patching.EntropyPatcher;
import dev.blt.patching.PatchOptions;
import dev.blt.patching.ThresholdChoice;
import dev.blt.patching.Patches;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IngestPipelineTest {
    private static final LoadedModel MODEL = load();

    @TempDir
    Path dir;

    private record Received(IngestDocument doc, DocumentWriter.Written written) {
    }

    @AfterAll
    static void closeModel() {
        MODEL.close();
    }

    private static LoadedModel load() {
        try {
            return LoadedModel.load(Path.of("..", "weights", "default.safetensors"), null, Precision.FLOAT32, null, 1,
                    w -> { });
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private IngestPipeline pipeline(int partBytes, int batch, List<Received> received) {
        return new IngestPipeline(MODEL, Modality.TEXT, partBytes, batch,
                new DocumentWriter(dir, DType.F32, MODEL, PatchOptions.defaults(), ThresholdChoice.DEFAULT), new IngestPipeline.Sink() {
                    @Override
                    public void written(IngestDocument doc, DocumentWriter.Written w) {
                        received.add(new Received(doc, w));
                    }

                    @Override
                    public void failed(IngestDocument doc, String reason) {
                        throw new AssertionError(doc.id() + ": " + reason);
                    }
                }, IngestPipeline.Journal.NONE);
    }

    /**
     * Documents of random lengths, batch 2: they are scored in windows of 8 batches sorted by length (so each
     * window reaches the sink longest first), and each still gets its own results (those of scoring it alone).
     */
    @Test
    void scoresWindowsOfDocumentsInBatchesOfSimilarLengthAndKeepsEachDocumentsOwnResults()
            throws IOException, DocumentException {
        List<Received> received = new ArrayList<>();
        IngestPipeline pipeline = pipeline(1 << 20, 2, received);
        Random random = new Random(7);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            StringBuilder text = new StringBuilder();
            int n = 5 + random.nextInt(400);
            for (int k = 0; k < n; k++) {
                text.append((char) ('a' + random.nextInt(26)));
            }
            texts.add(text.toString());
            byte[] bytes = texts.get(i).getBytes(StandardCharsets.UTF_8);
            pipeline.add(pipeline.prepare(new Document("d" + i, "mem", i, i, bytes, texts.get(i), Map.of())).get(0));
        }
        assertEquals(16, received.size(), "a full window of 8 batches of 2 is scored at once");
        pipeline.flush();
        assertEquals(20, received.size());
        for (List<Received> window : List.of(received.subList(0, 16), received.subList(16, 20))) {
            for (int k = 1; k < window.size(); k++) {
                assertTrue(window.get(k - 1).doc().bytes().length >= window.get(k).doc().bytes().length,
                        "longest first within a window");
            }
        }
        for (Received r : received) {
            int i = (int) r.doc().ordinal();
            int[] tokens = ByteTokenizer.encode(texts.get(i), true, true);
            assertMatchesScoringAlone(r, tokens, 1e-5f);
        }
    }

    /**
     * The streamed file against the document scored alone in memory: tokens, embeddings, norms and entropies, the
     * whole-row patcher's patches, each patch's mean embedding, max norm and mean entropy computed here.
     */
    private void assertMatchesScoringAlone(Received r, int[] tokens, float tolerance) throws IOException {
        Scores alone = MODEL.scorer().score(tokens, EnumSet.of(Output.PRENORM, Output.NORMS, Output.ENTROPIES));
        int dim = MODEL.config().dim();
        try (SafeTensorsFile f = SafeTensorsFile.open(dir.resolve(IngestFormat.tensorsFile(r.written().name())))) {
            String id = r.doc().id();
            assertArrayEquals(java.util.Arrays.stream(tokens).asLongStream().toArray(),
                    f.readLongs(IngestFormat.TOKENS), id);
            float[] e = f.readFloats(IngestFormat.ENTROPIES);
            float[] h = f.readFloats(IngestFormat.EMBEDDINGS);
            assertClose(alone.entropies(), e, tolerance, id + " entropies");
            assertClose(alone.norms(), f.readFloats(IngestFormat.PROMINENCE), tolerance * 10, id + " norms");
            assertClose(alone.prenorm(), h, tolerance * 10, id + " embeddings");
            Patches p = EntropyPatcher.patches(e, PatchOptions.defaults());
            assertArrayEquals(p.starts(), f.readLongs(IngestFormat.PATCH_INDICES), id);
            assertArrayEquals(p.lengths(), f.readLongs(IngestFormat.PATCH_LENGTHS), id);
            assertEquals(p.count(), r.written().patches());
            assertArrayEquals(p.startMask(tokens.length), f.readLongs(IngestFormat.PATCH_MASK), id);
            float[] pe = f.readFloats(IngestFormat.PATCH_EMBEDDINGS);
            float[] pp = f.readFloats(IngestFormat.PATCH_PROMINENCE);
            float[] norms = f.readFloats(IngestFormat.PROMINENCE);
            float[] pEnt = f.readFloats(IngestFormat.PATCH_ENTROPIES);
            for (int k = 0; k < p.count(); k++) {
                int start = (int) p.starts()[k];
                int len = (int) p.lengths()[k];
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < dim; j++) {
                    double sum = 0;
                    for (int i = start; i < start + len; i++) {
                        sum += h[i * dim + j];
                    }
                    assertEquals((float) (sum / len), pe[k * dim + j], id + " patch " + k);
                }
                double entropy = 0;
                for (int i = start; i < start + len; i++) {
                    max = Math.max(max, norms[i]);
                    entropy += e[i];
                }
                assertEquals(max, pp[k], id + " patch prominence " + k);
                assertEquals((float) (entropy / len), pEnt[k], id + " patch entropy " + k);
            }
        }
    }

    /** Within {@code tolerance}, relative to the value where it is above 1 (float32 round-off scales with it). */
    private static void assertClose(float[] expected, float[] actual, float tolerance, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tolerance * Math.max(1f, Math.abs(expected[i])), what + " at " + i);
        }
    }

    /**
     * Model input longer than a part: parts of at most partBytes, cut at segment (word) boundaries, each with its
     * offset, which together are the whole input; each part is scored as a document of its own.
     */
    @Test
    void modelInputLongerThanAPartIsScoredInPartsThatTileTheDocument() throws IOException, DocumentException {
        StringBuilder text = new StringBuilder();
        Random random = new Random(3);
        while (text.length() < 10_000) {
            int n = 1 + random.nextInt(9);
            for (int k = 0; k < n; k++) {
                text.append((char) ('a' + random.nextInt(26)));
            }
            text.append(' ');
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        List<Received> received = new ArrayList<>();
        IngestPipeline pipeline = pipeline(4096, 4, received);
        List<IngestDocument> parts = pipeline.prepare(new Document("long", "mem", 0, 0, bytes, text.toString(), Map.of()));
        assertEquals(3, parts.size());
        long at = 0;
        for (int k = 0; k < parts.size(); k++) {
            IngestDocument part = parts.get(k);
            assertEquals("long#part" + k, part.id());
            assertEquals(new IngestDocument.Part("long", k, IngestDocument.Part.MODEL_INPUT, at), part.part());
            assertEquals(3, part.partsOfOrdinal());
            assertTrue(part.bytes().length <= 4096, "at most a part");
            assertArrayEquals(java.util.Arrays.copyOfRange(bytes, (int) at, (int) at + part.bytes().length), part.bytes());
            if (k < parts.size() - 1) {
                assertTrue(part.bytes().length > 2048, "cut in the part's second half");
                assertEquals(' ', part.bytes()[part.bytes().length - 1], "cut after a word");
            }
            for (Segment s : part.segments()) {
                assertTrue(s.start() >= 0 && s.end() <= part.bytes().length && s.start() < s.end(), s.toString());
                assertEquals(s.end() - s.start(), s.originEnd() - s.originStart(), "whole words");
                assertEquals(at + s.start(), s.originStart(), "origins in the whole document");
            }
            at += part.bytes().length;
            pipeline.add(part);
        }
        assertEquals(bytes.length, at);
        pipeline.flush();
        assertEquals(3, received.size());
        for (Received r : received) {
            assertMatchesScoringAlone(r, ByteTokenizer.encode(r.doc().bytes(), true, true), 1e-5f);
        }
    }
}
