package dev.blt.train;

import dev.blt.model.TrainableModel;
import dev.blt.model.TrainingBatch;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loss and gradients of one optimizer step made of several micro-batches, equal to those of the one batch holding
 * all their rows. Each micro-batch's loss is the mean over its own masked-in positions, so the whole batch's is
 * {@code sum_i loss_i * count_i / sum_j count_j}, and likewise its gradient. Each micro-batch's gradients are freed
 * as soon as they are added in; close this to free the sum.
 */
public final class AccumulatedGradients implements AutoCloseable {
    private final double loss;
    private final Map<String, INDArray> byName;
    private final Runnable free;

    private AccumulatedGradients(double loss, Map<String, INDArray> byName, Runnable free) {
        this.loss = loss;
        this.byName = byName;
        this.free = free;
    }

    /** Runs forward and backward on every micro-batch, in order, and sums their gradients weighted by count. */
    public static AccumulatedGradients of(TrainableModel model, List<TrainingBatch> microBatches) {
        if (microBatches.size() == 1) {
            // no copy: the model's own gradients are the step's (and bit for bit what they were before accumulation)
            TrainableModel.Gradients g = model.lossAndGradients(microBatches.get(0));
            return new AccumulatedGradients(g.loss(), g.byName(), g::close);
        }
        double total = 0;
        for (TrainingBatch b : microBatches) {
            total += b.maskedCount();
        }
        double loss = 0;
        Map<String, INDArray> sum = new LinkedHashMap<>();
        for (TrainingBatch b : microBatches) {
            double w = total == 0 ? 0 : b.maskedCount() / total;
            try (TrainableModel.Gradients g = model.lossAndGradients(b)) {
                loss += g.loss() * w;
                for (Map.Entry<String, INDArray> e : g.byName().entrySet()) {
                    INDArray acc = sum.get(e.getKey());
                    if (acc == null) {
                        sum.put(e.getKey(), e.getValue().mul(w));
                    } else {
                        acc.addi(e.getValue().muli(w));
                    }
                }
            }
        }
        return new AccumulatedGradients(loss, sum, () -> sum.values().forEach(INDArray::close));
    }

    /** Mean cross-entropy over all masked-in positions of the step (nats). */
    public double loss() {
        return loss;
    }

    /** Gradient of every parameter (graph layout), by upstream name. */
    public Map<String, INDArray> byName() {
        return byName;
    }

    @Override
    public void close() {
        free.run();
    }
}
