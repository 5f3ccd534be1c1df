package dev.blt.cli;

import dev.blt.model.ModelConfig;
import dev.blt.model.ModelWeights;
import dev.blt.model.TrainableModel;
import dev.blt.model.TrainingBatch;
import dev.blt.train.AdamW;
import dev.blt.train.GradientClip;
import dev.blt.train.TrainConfig;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.Arrays;
import java.util.Random;

/**
 * One optimizer step of {@code ./blt train} (float32) on random weights and a fixed batch of random tokens, for
 * {@code ./blt bench --train}: forward, loss and backward, global-norm clipping, AdamW update, with the optimizer
 * settings of a config that leaves them out (upstream's: lr 4e-4, betas 0.9/0.95, eps 1e-8, weight decay 0.1, clip 10).
 */
final class TrainingStep implements Runnable {
    private final TrainConfig.Optim optim = new TrainConfig.Optim();
    private final TrainableModel model;
    private final AdamW adam;
    private final TrainingBatch batch;
    private double loss = Double.NaN;

    TrainingStep(ModelConfig c, int rows, int seq, long seed) {
        model = TrainableModel.build(ModelWeights.random(c, seed), DataType.FLOAT);
        adam = new AdamW(optim.hyper(), model.parameters());
        Random rnd = new Random(seed);
        int[] inputs = rnd.ints(rows * seq, 4, 260).toArray();
        int[] targets = rnd.ints(rows * seq, 4, 260).toArray();
        float[] mask = new float[rows * seq];
        Arrays.fill(mask, 1f);
        batch = new TrainingBatch(rows, seq, inputs, targets, mask);
    }

    @Override
    public void run() {
        TrainableModel.Gradients g = model.lossAndGradients(batch);
        GradientClip.clip(g.byName().values(), optim.clip);
        adam.update(model.parameters(), g.byName(), optim.lr);
        loss = g.loss();
    }

    /** The loss of the last step (nats; about ln 256 on random weights and tokens). */
    double loss() {
        return loss;
    }
}
