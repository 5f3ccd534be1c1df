package dev.blt.ingest;

import dev.blt.data.dataset.Document;
import dev.blt.data.pretokenize.Modality;
import dev.blt.data.tokenizer.ByteTokenizer;
import dev.blt.model.Output;
import dev.blt.patching.PatchOptions;
import org.junit.jupiter.api.Test;

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
    private record Received(IngestDocument doc, DocumentTensors tensors) {
    }

    /**
     * Documents of random lengths, batch 2: they are scored in windows of 8 batches sorted by length (so each
     * window reaches the sink longest first), and each still gets its own results (those of scoring it alone).
     */
    @Test
    void scoresWindowsOfDocumentsInBatchesOfSimilarLengthAndKeepsEachDocumentsOwnResults()
            throws IOException, DocumentException {
        LoadedModel model = LoadedModel.load(Path.of("..", "weights", "default.safetensors"), null, null, 1, w -> { });
        List<Received> received = new ArrayList<>();
        IngestPipeline pipeline = new IngestPipeline(model, Modality.TEXT, PatchOptions.defaults(), 2,
                new IngestPipeline.Sink() {
                    @Override
                    public void scored(IngestDocument doc, DocumentTensors t) {
                        received.add(new Received(doc, t));
                    }

                    @Override
                    public void failed(IngestDocument doc, String reason) {
                        throw new AssertionError(doc.id() + ": " + reason);
                    }
                });
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
            pipeline.add(pipeline.prepare(new Document("d" + i, "mem", i, i, bytes, texts.get(i), Map.of())));
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
            assertArrayEquals(tokens, r.tensors().tokens(), r.doc().id());
            float[] alone = model.scorer().score(tokens, EnumSet.of(Output.ENTROPIES)).entropies();
            float[] got = r.tensors().entropies();
            for (int p = 0; p < alone.length; p++) {
                assertEquals(alone[p], got[p], 1e-5f, r.doc().id() + " position " + p);
            }
        }
    }
}
