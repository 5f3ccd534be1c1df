package dev.blt.train;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blt.data.tensors.SafeTensorsFile;
import dev.blt.model.Fixtures;
import dev.blt.model.TrainableModel;
import dev.blt.model.TrainingBatch;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two AdamW updates against upstream's (fixtures/upstream/train_base.*).
 *
 * <p>Upstream's float32 gradients are themselves ~1e-6 off the exact ones (our double gradients differ from them
 * by up to 1.3e-6 at a scale of 0.45). AdamW's first update is {@code lr * g / (|g| + eps)}: for almost every
 * element that is {@code lr * sign(g)} and insensitive to gradient round-off, but where the clipped gradient is
 * within a few hundred eps of 0 (about 3% of the checked elements; 3 (double) to 5 (float) of them move beyond 1e-6), a 1e-9 difference in {@code g} moves the
 * update by 1e-5. Those elements are held to "moved by at most lr in the right direction"; every other weight
 * is held to 1e-6.
 */
class TrainParityTest {
    /** Clipped |g| below this makes an update sensitive by more than 1e-6 to a 1e-7 gradient error. */
    private static final double ILL_CONDITIONED = 1e-6;

    /**
     * The double graph holds the losses to the 1e-6. In float32 the loss (about 5.6, ulp 4.8e-7) is a mean of
     * 128 log-probabilities summed in another order than torch's, and moves by a few ulps with the BLAS (MKL here).
     */
    @ParameterizedTest
    @CsvSource({"FLOAT,2e-6,4e-6", "DOUBLE,1.5e-6,5e-7"})
    void twoUpdatesMatchUpstream(String precision, double gradTol, double lossTol, TestReporter report)
            throws IOException {
        JsonNode opt = Fixtures.json("train_base.json").get("optimizer");
        assertEquals("constant", opt.get("scheduler").asText());
        AdamW.Hyper hyper = new AdamW.Hyper(opt.get("lr").asDouble(), opt.get("beta1").asDouble(),
                opt.get("beta2").asDouble(), opt.get("epsilon").asDouble(), opt.get("weight_decay").asDouble());
        double clip = opt.get("clip").asDouble();
        try (TrainableModel model = TrainableModel.build(Fixtures.weights("base"), DataType.valueOf(precision))) {
            checkTwoUpdates(model, hyper, clip, gradTol, lossTol, report);
        }
    }

    private static void checkTwoUpdates(TrainableModel model, AdamW.Hyper hyper, double clip, double gradTol,
                                        double lossTol, TestReporter report)
            throws IOException {
        AdamW adam = new AdamW(hyper, model.parameters());
        Map<String, boolean[]> sensitive = new HashMap<>();
        double worstWeight = 0;
        double worstGrad = 0;
        int sensitiveCount = 0;
        int sensitiveOff = 0;
        int checked = 0;
        try (SafeTensorsFile st = Fixtures.tensors("train_base.safetensors")) {
            int[] x = Fixtures.ints(st.readLongs("train.x"));
            int[] y = Fixtures.ints(st.readLongs("train.y"));
            float[] ones = new float[x.length];
            Arrays.fill(ones, 1f);
            TrainingBatch batch = new TrainingBatch(2, 64, x, y, ones);
            for (int step = 1; step <= 2; step++) {
                String p = "train.step" + step + ".";
                TrainableModel.Gradients g = model.lossAndGradients(batch);
                assertEquals(st.readFloats(p + "loss")[0], g.loss(), lossTol, p + "loss");
                for (Map.Entry<String, INDArray> e : g.byName().entrySet()) {
                    String ref = p + "grad." + e.getKey();
                    if (st.contains(ref)) {
                        float[] got = model.toUpstream(e.getKey(), e.getValue());
                        double d = Fixtures.maxAbsDiff(st.readFloats(ref), got);
                        assertTrue(d <= gradTol, ref + ": max abs diff " + d);
                        worstGrad = Math.max(worstGrad, d);
                    }
                }
                double norm = GradientClip.clip(g.byName().values(), clip);
                assertEquals(st.readFloats(p + "grad_norm")[0], norm, 1e-6 * norm, p + "grad_norm");
                assertEquals(st.readFloats(p + "clip_coef")[0], GradientClip.coefficient(norm, clip), 1e-7, p + "clip_coef");
                for (Map.Entry<String, INDArray> e : g.byName().entrySet()) {
                    float[] clipped = model.toUpstream(e.getKey(), e.getValue());
                    boolean[] s = sensitive.computeIfAbsent(e.getKey(), k -> new boolean[clipped.length]);
                    for (int i = 0; i < clipped.length; i++) {
                        s[i] |= Math.abs(clipped[i]) < ILL_CONDITIONED;
                    }
                }
                double lr = hyper.lr() * LrSchedule.constant().factor(step - 1);
                adam.update(model.parameters(), g.byName(), lr);
                for (Map.Entry<String, INDArray> e : model.parameters().entrySet()) {
                    String ref = p + e.getKey();
                    if (!st.contains(ref)) {
                        continue;
                    }
                    float[] want = st.readFloats(ref);
                    float[] got = model.toUpstream(e.getKey(), e.getValue());
                    boolean[] s = sensitive.get(e.getKey());
                    for (int i = 0; i < want.length; i++) {
                        double d = Math.abs(want[i] - got[i]);
                        checked++;
                        if (s[i]) {
                            sensitiveCount++;
                            sensitiveOff += d > 1e-6 ? 1 : 0;
                            assertTrue(d <= lr, ref + "[" + i + "] (ill-conditioned) off by " + d);
                        } else {
                            assertTrue(d <= 1e-6, ref + "[" + i + "] off by " + d);
                            worstWeight = Math.max(worstWeight, d);
                        }
                    }
                }
            }
        }
        // in the test report, not on the console: a passing build stays quiet
        report.publishEntry("train_base parity", String.format("%s: worst gradient error %.3g, worst weight error "
                        + "%.3g over %d well-conditioned checks; %d ill-conditioned checks, %d of them beyond 1e-6",
                model.dtype(), worstGrad, worstWeight, checked - sensitiveCount, sensitiveCount, sensitiveOff));
        assertTrue(sensitiveCount < checked / 20, "too many ill-conditioned elements: " + sensitiveCount);
        assertTrue(sensitiveOff <= 10, "ill-conditioned elements beyond 1e-6: " + sensitiveOff);
    }
}
