package dev.blt.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blt.data.tensors.SafeTensorsFile;
import dev.blt.model.LMTransformer;
import dev.blt.model.ModelConfig;
import dev.blt.model.ModelWeights;
import dev.blt.model.TrainableModel;
import dev.blt.patching.EntropyPatcher;
import dev.blt.patching.PatchOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainerTest {
    static final String TINY_MODEL = "{\"dim\": 32, \"n_layers\": 2, \"n_heads\": 2, \"multiple_of\": 32,"
            + " \"max_seqlen\": 64, \"vocab_size\": 260, \"sliding_window\": 16, \"attn_bias_type\": \"local_block_causal\"}";

    private static List<String> corpus(int n, int offset) {
        String[] words = {"the", "cat", "sat", "on", "a", "mat", "and", "dog", "ran", "to", "its", "home"};
        List<String> docs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder sb = new StringBuilder();
            for (int w = 0; w < 8; w++) {
                sb.append(words[(i + offset + 3 * w) % words.length]).append(' ');
            }
            docs.add(sb.toString().trim() + ".");
        }
        return docs;
    }

    private static TrainConfig config(Path dir, long steps, String scheduler) throws IOException {
        TrainConfig c = new TrainConfig();
        c.model = new ObjectMapper().readTree(TINY_MODEL);
        c.steps = steps;
        c.logEvery = 10;
        c.output = dir.resolve("final.safetensors").toString();
        c.data.seqLen = 32;
        c.data.batchSize = 4;
        c.data.shuffleBuffer = 8;
        c.optim.lr = 3e-3;
        c.optim.scheduler = scheduler;
        c.optim.warmup = 3;
        c.optim.clip = 1.0;
        c.eval.every = 0;
        c.checkpoint.dir = dir.resolve("ckpt").toString();
        c.checkpoint.every = 2;
        return c;
    }

    private static ModelWeights init(TrainConfig c) throws IOException {
        return ModelWeights.random(c.modelConfig(Path.of("test"), w -> { }), 7);
    }

    @Test
    void heldOutBitsPerByteDropOnTinyModel(@TempDir Path dir, TestReporter report) throws IOException {
        TrainConfig c = config(dir, 30, "cosine");
        c.checkpoint.every = 0;
        c.eval.maxBytes = 1;          // periodic evaluations would stop after the first document,
        c.eval.finalMaxBytes = 0L;    // the final one scores them all
        ListSource heldOut = new ListSource(corpus(4, 100));
        ModelWeights start = init(c);
        double before;
        try (LMTransformer model = LMTransformer.build(start)) {
            before = BitsPerByte.evaluate(model, heldOut, 0).bitsPerByte();
        }
        List<String> lines = new ArrayList<>();
        Trainer.Summary s = new Trainer(c, new ListSource(corpus(40, 0)), heldOut, lines::add).run(start, null);
        assertEquals(30, s.steps());
        assertEquals(4, s.eval().documents(), "the final evaluation covers every held-out document");
        double after = s.eval().bitsPerByte();
        report.publishEntry("tiny model held-out bits per byte",
                String.format("%.3f before, %.3f after %d steps", before, after, s.steps()));
        assertTrue(before > 7.5, "a random model should cost about log2(260) = 8 bits per byte, got " + before);
        assertTrue(after < before - 3, "held-out bits per byte only went from " + before + " to " + after);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("step 30/30  loss ")), "progress lines: " + lines);
        // the written weights are the trained ones and carry their config
        ModelWeights saved = ModelWeights.load(Path.of(c.output),
                ModelWeights.storedConfig(Path.of(c.output), w -> { }), w -> { });
        assertArrayEquals(s.weights().get("output.weight"), saved.get("output.weight"));
        // and the threshold that gives the target mean patch on the held-out documents
        Float threshold = ModelWeights.recommendedThreshold(Path.of(c.output));
        assertNotNull(threshold, "recommended threshold in the metadata; log: " + lines);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("recommended threshold ")), "log: " + lines);
        List<float[]> entropies = new ArrayList<>();
        try (LMTransformer model = LMTransformer.build(saved)) {
            BitsPerByte.evaluate(model, heldOut, 0, entropies);
        }
        long positions = 0;
        long patches = 0;
        for (float[] e : entropies) {
            positions += e.length;
            patches += EntropyPatcher.patches(e, PatchOptions.defaults().withThreshold(threshold)).count();
        }
        assertEquals(4.5, (double) positions / patches, 0.5, "mean patch on the held-out documents");
    }

    /** 2 steps, checkpoint, resume, 2 more steps == 4 steps straight: every weight bit-identical. */
    @Test
    void resumeContinuesBitForBit(@TempDir Path dir) throws IOException {
        TrainConfig c = config(dir, 4, "cosine");
        ModelWeights straight = new Trainer(c, new ListSource(corpus(40, 0)), null, l -> { }).run(init(c), null).weights();

        TrainConfig r = config(dir.resolve("resumed"), 4, "cosine");
        Path mid = Checkpoint.dirFor(Path.of(c.checkpoint.dir), 2);
        ModelWeights resumed = new Trainer(r, new ListSource(corpus(40, 0)), null, l -> { })
                .run(null, Checkpoint.resolve(mid)).weights();
        for (Map.Entry<String, float[]> e : straight.asMap().entrySet()) {
            assertArrayEquals(e.getValue(), resumed.get(e.getKey()), e.getKey());
        }
        assertEquals(Checkpoint.dirFor(Path.of(c.checkpoint.dir), 4), Checkpoint.resolve(Path.of(c.checkpoint.dir)));
    }

    /**
     * 2 rows x 2 micro-batches per step == 4 rows per step, on the same rows: the packer draws them in the same
     * order, and the accumulated gradient is the whole batch's (float64 training; the weights are written as float32).
     */
    @Test
    void accumulatedMicroBatchesTrainAsTheWholeBatch(@TempDir Path dir) throws IOException {
        TrainConfig whole = config(dir.resolve("whole"), 4, "cosine");
        whole.precision = "double";
        TrainConfig micro = config(dir.resolve("micro"), 4, "cosine");
        micro.precision = "double";
        micro.data.batchSize = 2;
        micro.data.gradAccumSteps = 2;
        List<String> lines = new ArrayList<>();
        Trainer.Summary a = new Trainer(whole, new ListSource(corpus(40, 0)), null, l -> { }).run(init(whole), null);
        Trainer.Summary b = new Trainer(micro, new ListSource(corpus(40, 0)), null, lines::add).run(init(micro), null);
        assertEquals(a.lastLoss(), b.lastLoss(), 1e-9 * a.lastLoss());
        for (Map.Entry<String, float[]> e : a.weights().asMap().entrySet()) {
            float[] want = e.getValue();
            float[] got = b.weights().get(e.getKey());
            for (int i = 0; i < want.length; i++) {
                // one float32 rounding apart at most
                assertEquals(want[i], got[i], Math.ulp(want[i]), e.getKey() + "[" + i + "]");
            }
        }
        assertTrue(lines.get(0).contains("batch 2 x 32 tokens x 2 micro-batches per step"), lines.get(0));
    }

    /** With 2 micro-batches per step: 2 steps, checkpoint, resume, 2 more == 4 straight, bit for bit. */
    @Test
    void resumeWithAccumulationContinuesOnTheSameRows(@TempDir Path dir) throws IOException {
        TrainConfig c = config(dir, 4, "cosine");
        c.data.batchSize = 2;
        c.data.gradAccumSteps = 2;
        ModelWeights straight = new Trainer(c, new ListSource(corpus(40, 0)), null, l -> { }).run(init(c), null).weights();
        Path mid = Checkpoint.dirFor(Path.of(c.checkpoint.dir), 2);
        TrainableModel probe = TrainableModel.build(Checkpoint.weights(mid, l -> { }), DataType.FLOAT);
        assertEquals(2 * 2 * 2, Checkpoint.restore(mid, probe, new AdamW(c.optim.hyper(), probe.parameters())),
                "rows drawn by 2 steps of 2 micro-batches of 2 rows");

        TrainConfig r = config(dir.resolve("resumed"), 4, "cosine");
        r.data.batchSize = 2;
        r.data.gradAccumSteps = 2;
        ModelWeights resumed = new Trainer(r, new ListSource(corpus(40, 0)), null, l -> { })
                .run(null, Checkpoint.resolve(mid)).weights();
        for (Map.Entry<String, float[]> e : straight.asMap().entrySet()) {
            assertArrayEquals(e.getValue(), resumed.get(e.getKey()), e.getKey());
        }
    }

    @Test
    void checkpointRoundTripsWeightsAndOptimizerState(@TempDir Path dir) throws IOException {
        TrainConfig c = config(dir, 3, "constant");
        new Trainer(c, new ListSource(corpus(10, 0)), null, l -> { }).run(init(c), null);
        Path ckpt = Checkpoint.dirFor(Path.of(c.checkpoint.dir), 3);
        ModelWeights w = Checkpoint.weights(ckpt, l -> { });
        try (TrainableModel model = TrainableModel.build(w, DataType.FLOAT)) {
            checkRestored(c, ckpt, w, model);
        }
    }

    private static void checkRestored(TrainConfig c, Path ckpt, ModelWeights w, TrainableModel model)
            throws IOException {
        AdamW adam = new AdamW(c.optim.hyper(), model.parameters());
        long rows = Checkpoint.restore(ckpt, model, adam);
        assertEquals(3, adam.step());
        assertEquals(3 * c.data.batchSize, rows);
        try (SafeTensorsFile st = SafeTensorsFile.open(ckpt.resolve(Checkpoint.OPTIMIZER_FILE))) {
            for (String name : w.asMap().keySet()) {
                float[] m = model.toUpstream(name, adam.firstMoments().get(name));
                assertArrayEquals(st.readFloats("exp_avg." + name), m, name);
                assertArrayEquals(st.readFloats("exp_avg_sq." + name), model.toUpstream(name, adam.secondMoments().get(name)), name);
                assertTrue(hasNonZero(m), "moment of " + name + " is all zero");
                assertArrayEquals(w.get(name), model.toUpstream(name, model.parameters().get(name)), name);
            }
        }
        ModelConfig stored = ModelWeights.storedConfig(ckpt.resolve(Checkpoint.MODEL_FILE), l -> { });
        assertEquals(c.modelConfig(Path.of("test"), l -> { }), stored);
    }

    private static boolean hasNonZero(float[] a) {
        for (float v : a) {
            if (v != 0) {
                return true;
            }
        }
        return false;
    }
}
