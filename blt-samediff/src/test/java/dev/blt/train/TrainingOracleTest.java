package dev.blt.train;

import dev.blt.model.AttentionBias;
import dev.blt.model.ModelConfig;
import dev.blt.model.ModelWeights;
import dev.blt.model.ReferenceForward;
import dev.blt.model.TrainableModel;
import dev.blt.model.TrainingBatch;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several optimizer steps of the training path held, at every step, to the plain double-precision
 * {@link ReferenceForward}: its loss, and each parameter's gradient against central differences of the
 * reference's loss. The model has what the released one has and the fixtures lack: grouped-query attention, a
 * sliding window shorter than the rows, and document masking with EOS inside rows.
 */
class TrainingOracleTest {
    private static final int WINDOW = 8;
    private static final int LEN = 26;
    private static final int EOS = 2;
    /** A weight step small enough for the central difference's error (h^2) and large beside float rounding. */
    private static final float H = 2e-3f;

    private static final ModelConfig CONFIG = new ModelConfig(32, 2, 4, 2, null, 1.0, 16, 1e-5, 10000.0, 64, 260,
            WINDOW, AttentionBias.LOCAL_BLOCK_CAUSAL, EOS);

    @Test
    void stepsMatchTheReferenceLossAndItsFiniteDifferences() {
        TrainingBatch batch = batch(new Random(3));
        ModelWeights start = ModelWeights.random(CONFIG, 17);
        try (TrainableModel model = TrainableModel.build(start, DataType.DOUBLE)) {
            AdamW adam = new AdamW(new AdamW.Hyper(1e-2, 0.9, 0.95, 1e-8, 0.1), model.parameters());
            Random pick = new Random(5);
            for (int step = 1; step <= 3; step++) {
                // the oracle reads float32 weights: put the model exactly on them
                ModelWeights now = model.weights();
                model.parameters().forEach((name, p) -> p.assign(model.fromUpstream(name, now.get(name))));
                TrainableModel.Gradients g = model.lossAndGradients(batch);
                double want = referenceLoss(now, batch);
                // the training path's rope tables are float32, as upstream's; the reference rotates in double
                assertEquals(want, g.loss(), 1e-8 * want, "loss at step " + step);
                for (Map.Entry<String, INDArray> e : g.byName().entrySet()) {
                    float[] grad = model.toUpstream(e.getKey(), e.getValue());
                    double scale = Arrays.stream(toDoubles(grad)).map(Math::abs).max().orElse(0);
                    assertTrue(scale > 0, e.getKey() + ": gradient all zero at step " + step);
                    for (int k = 0; k < 3; k++) {
                        int i = pick.nextInt(grad.length);
                        double fd = centralDifference(now, e.getKey(), i, batch);
                        assertEquals(fd, grad[i], 2e-4 * scale, e.getKey() + "[" + i + "] at step " + step);
                    }
                }
                GradientClip.clip(g.byName().values(), 10.0);
                adam.update(model.parameters(), g.byName(), 1e-2);
            }
        }
    }

    /** Two rows longer than the window, with EOS inside them (documents end mid-row). */
    private static TrainingBatch batch(Random rnd) {
        int rows = 2;
        int[] x = new int[rows * LEN];
        int[] y = new int[rows * LEN];
        float[] mask = new float[rows * LEN];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % LEN == 9 || i % LEN == 17 || i == LEN + 4) ? EOS : 4 + rnd.nextInt(256);
            y[i] = 4 + rnd.nextInt(256);
            mask[i] = i % 7 == 3 ? 0f : 1f;
        }
        return new TrainingBatch(rows, LEN, x, y, mask);
    }

    /** {@code sum_i mask_i CE_i / sum_i mask_i}, each row its own sequence through the reference forward. */
    private static double referenceLoss(ModelWeights w, TrainingBatch b) {
        double nats = 0;
        for (int r = 0; r < b.rows(); r++) {
            double[][] logits = new ReferenceForward(w, Arrays.copyOfRange(b.inputs(), r * LEN, (r + 1) * LEN)).logits;
            for (int t = 0; t < LEN; t++) {
                int i = r * LEN + t;
                double max = Arrays.stream(logits[t]).max().orElseThrow();
                double sum = Arrays.stream(logits[t]).map(z -> Math.exp(z - max)).sum();
                nats += b.mask()[i] * (max + Math.log(sum) - logits[t][b.targets()[i]]);
            }
        }
        return nats / b.maskedCount();
    }

    /** d loss / d w[name][i] from the reference at w +- H, divided by the float steps actually taken. */
    private static double centralDifference(ModelWeights w, String name, int i, TrainingBatch b) {
        float at = w.get(name)[i];
        float up = at + H;
        float down = at - H;
        double lossUp = referenceLoss(with(w, name, i, up), b);
        double lossDown = referenceLoss(with(w, name, i, down), b);
        return (lossUp - lossDown) / ((double) up - down);
    }

    private static ModelWeights with(ModelWeights w, String name, int i, float value) {
        Map<String, float[]> tensors = new LinkedHashMap<>(w.asMap());
        float[] changed = tensors.get(name).clone();
        changed[i] = value;
        tensors.put(name, changed);
        return ModelWeights.of(w.config(), tensors);
    }

    private static double[] toDoubles(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }
}
