package dev.blt.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blt.model.ModelConfig;
import dev.blt.model.ModelWeights;
import dev.blt.model.TrainableModel;
import dev.blt.model.TrainingBatch;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Micro-batches accumulated into one optimizer step give the gradient, loss and updated weights of the one batch
 * holding all their rows (float64, so that only round-off separates them).
 */
class GradientAccumulationTest {
    private static final int LEN = 16;
    private static final double TOLERANCE = 1e-9;

    /** {@code rows} rows of random bytes (with an EOS now and then); the first {@code counted[r]} positions count. */
    private static TrainingBatch batch(Random rnd, int... counted) {
        int rows = counted.length;
        int[] x = new int[rows * LEN];
        int[] y = new int[rows * LEN];
        float[] mask = new float[rows * LEN];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextInt(10) == 0 ? 2 : 4 + rnd.nextInt(256);
            y[i] = 4 + rnd.nextInt(256);
            mask[i] = i % LEN < counted[i / LEN] ? 1f : 0f;
        }
        return new TrainingBatch(rows, LEN, x, y, mask);
    }

    /** The rows of several batches, in order, as one batch. */
    private static TrainingBatch concat(TrainingBatch... parts) {
        int rows = Arrays.stream(parts).mapToInt(TrainingBatch::rows).sum();
        int[] x = new int[rows * LEN];
        int[] y = new int[rows * LEN];
        float[] mask = new float[rows * LEN];
        int off = 0;
        for (TrainingBatch b : parts) {
            System.arraycopy(b.inputs(), 0, x, off, b.inputs().length);
            System.arraycopy(b.targets(), 0, y, off, b.targets().length);
            System.arraycopy(b.mask(), 0, mask, off, b.mask().length);
            off += b.inputs().length;
        }
        return new TrainingBatch(rows, LEN, x, y, mask);
    }

    private static ModelWeights tinyWeights() throws IOException {
        ModelConfig c = ModelConfig.fromJson(new ObjectMapper().readTree(TrainerTest.TINY_MODEL), "tiny", w -> { });
        return ModelWeights.random(c, 11);
    }

    @Test
    void equalCountsMatchTheWholeBatch() throws IOException {
        Random rnd = new Random(1);
        TrainingBatch a = batch(rnd, LEN - 1, LEN - 1);
        TrainingBatch b = batch(rnd, LEN - 1, LEN - 1);
        assertMatchesWholeBatch(List.of(a, b), 10.0);
    }

    /** 32 counted positions, then 16 (a row with none), then 16 spread over both rows, then 30: an unweighted mean of the gradients would be far off. */
    @Test
    void unequalCountsAreWeightedByTheirPositions() throws IOException {
        Random rnd = new Random(2);
        TrainingBatch a = batch(rnd, LEN, LEN);
        TrainingBatch b = batch(rnd, LEN, 0);
        TrainingBatch c = batch(rnd, 5, 11);
        TrainingBatch d = batch(rnd, 14, 16);
        assertEquals(32, a.maskedCount());
        assertEquals(16, b.maskedCount());
        // a small clip makes the clipping, which depends on the whole gradient's norm, part of the comparison
        assertMatchesWholeBatch(List.of(a, b, c, d), 0.05);
    }

    private static void assertMatchesWholeBatch(List<TrainingBatch> micro, double clip) throws IOException {
        ModelWeights w = tinyWeights();
        try (TrainableModel accumulated = TrainableModel.build(w, DataType.DOUBLE);
             TrainableModel whole = TrainableModel.build(w, DataType.DOUBLE)) {
            AdamW.Hyper hyper = new AdamW.Hyper(4e-4, 0.9, 0.95, 1e-8, 0.1);
            AdamW adamA = new AdamW(hyper, accumulated.parameters());
            AdamW adamW = new AdamW(hyper, whole.parameters());
            TrainableModel.Gradients ga = accumulated.lossAndGradients(micro);
            TrainableModel.Gradients gw = whole.lossAndGradients(concat(micro.toArray(TrainingBatch[]::new)));
            assertEquals(gw.loss(), ga.loss(), TOLERANCE * gw.loss(), "loss");
            assertClose(gw.byName(), ga.byName(), "gradient");
            double normA = GradientClip.clip(ga.byName().values(), clip);
            double normW = GradientClip.clip(gw.byName().values(), clip);
            assertEquals(normW, normA, TOLERANCE * normW, "gradient norm");
            adamA.update(accumulated.parameters(), ga.byName(), hyper.lr());
            adamW.update(whole.parameters(), gw.byName(), hyper.lr());
            assertClose(whole.parameters(), accumulated.parameters(), "updated weight");
        }
    }

    /** Every element within TOLERANCE relative to the largest element of its tensor. */
    private static void assertClose(Map<String, INDArray> expected, Map<String, INDArray> actual, String what) {
        assertEquals(expected.keySet(), actual.keySet());
        for (Map.Entry<String, INDArray> e : expected.entrySet()) {
            double[] want = e.getValue().dup('c').data().asDouble();
            double[] got = actual.get(e.getKey()).dup('c').data().asDouble();
            double scale = Arrays.stream(want).map(Math::abs).max().orElse(0);
            assertTrue(scale > 0, what + " " + e.getKey() + " is all zero");
            for (int i = 0; i < want.length; i++) {
                double err = Math.abs(want[i] - got[i]) / scale;
                assertTrue(err <= TOLERANCE, what + " " + e.getKey() + "[" + i + "]: " + got[i] + " vs " + want[i]
                        + " (relative " + err + ")");
            }
        }
    }
}
