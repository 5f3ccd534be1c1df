package dev.blt.train;

import dev.blt.data.tensors.DType;
import dev.blt.model.LMTransformer;
import dev.blt.model.ModelWeights;
import dev.blt.model.TrainableModel;
import dev.blt.model.TrainingBatch;
import dev.blt.patching.PatchOptions;
import dev.blt.patching.ThresholdCalibration;
import dev.blt.train.data.DocumentSource;
import dev.blt.train.data.RowPacker;
import org.nd4j.linalg.api.buffer.DataType;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Upstream's training loop for the entropy model: per step forward + loss and backward on each of
 * {@code data.grad_accum_steps} micro-batches (their gradients summed into those of the whole batch), clip_grad_norm_,
 * AdamW step with {@code lr * factor(updates so far)}; plus periodic held-out evaluation, checkpoints and progress
 * lines. Starts from given weights (random init or a model to fine-tune) or resumes from a checkpoint.
 */
public final class Trainer {
    /** Native memory of dropped ND4J arrays is freed only when their wrappers are collected. */
    private static final int GC_EVERY = 5;

    private final TrainConfig cfg;
    private final DocumentSource train;
    private final DocumentSource heldOut;
    private final Consumer<String> log;

    public Trainer(TrainConfig cfg, DocumentSource train, DocumentSource heldOut, Consumer<String> log) {
        this.cfg = cfg;
        this.train = train;
        this.heldOut = heldOut;
        this.log = log;
    }

    /** What a run ended with. */
    public record Summary(long steps, double lastLoss, BitsPerByte.Result eval, double tokensPerSecond,
                          ModelWeights weights) {
    }

    /** Trains from {@code start}, or from {@code resume} (a checkpoint directory) when it is not null. */
    public Summary run(ModelWeights start, Path resume) throws IOException {
        long t0 = System.nanoTime();
        ModelWeights initial = resume == null ? start : Checkpoint.weights(resume, log);
        DataType dtype = cfg.precision.equals("double") ? DataType.DOUBLE : DataType.FLOAT;
        LrSchedule schedule = cfg.optim.schedule(cfg.steps);
        Path ckptRoot = Path.of(cfg.checkpoint.dir);
        long lastSaved = -1;
        try (TrainableModel model = TrainableModel.build(initial, dtype);
             RowPacker packer = new RowPacker(train, cfg.data.seqLen, cfg.data.shuffleBuffer, cfg.data.seed)) {
            AdamW adam = new AdamW(cfg.optim.hyper(), model.parameters());
            if (resume != null) {
                packer.skip(Checkpoint.restore(resume, model, adam));
                lastSaved = adam.step();
                log.accept("resumed from " + resume + " at step " + adam.step());
            }
            log.accept(String.format("model: %,d parameters, dim %d, %d layers; batch %d x %d tokens%s; %d steps",
                    model.config().parameterCount(), model.config().dim(), model.config().nLayers(),
                    cfg.data.batchSize, cfg.data.seqLen, cfg.data.gradAccumSteps == 1 ? ""
                            : " x " + cfg.data.gradAccumSteps + " micro-batches per step", cfg.steps));
            double lastLoss = Double.NaN;
            long tokens = 0;
            long windowStart = System.nanoTime();
            long windowTokens = 0;
            long trainStart = System.nanoTime();
            while (adam.step() < cfg.steps) {
                List<TrainingBatch> micro = new ArrayList<>();
                for (int i = 0; i < cfg.data.gradAccumSteps; i++) {
                    micro.add(packer.nextBatch(cfg.data.batchSize));
                }
                double norm;
                double lr = cfg.optim.lr * schedule.factor(adam.step());
                TrainableModel.Gradients g = model.lossAndGradients(micro);
                norm = GradientClip.clip(g.byName().values(), cfg.optim.clip);
                adam.update(model.parameters(), g.byName(), lr);
                lastLoss = g.loss();
                long step = adam.step();
                long stepTokens = (long) micro.size() * cfg.data.batchSize * cfg.data.seqLen;
                tokens += stepTokens;
                windowTokens += stepTokens;
                if (step % GC_EVERY == 0) {
                    System.gc();
                }
                if (step % cfg.logEvery == 0 || step == cfg.steps) {
                    double secs = (System.nanoTime() - windowStart) / 1e9;
                    log.accept(String.format("step %d/%d  loss %.4f  lr %.3e  grad_norm %.3f  %.0f bytes/s  epoch %d",
                            step, cfg.steps, lastLoss, lr, norm, windowTokens / secs, packer.epoch()));
                    windowStart = System.nanoTime();
                    windowTokens = 0;
                }
                if (heldOut != null && cfg.eval.every > 0 && step % cfg.eval.every == 0 && step < cfg.steps) {
                    evaluate(model, step);
                }
                if (cfg.checkpoint.every > 0 && step % cfg.checkpoint.every == 0) {
                    save(ckptRoot, model, adam, packer);
                    lastSaved = step;
                }
            }
            double tokensPerSecond = tokens / ((System.nanoTime() - trainStart) / 1e9);
            if (lastSaved != adam.step()) {
                save(ckptRoot, model, adam, packer);
            }
            ModelWeights result = model.weights();
            Map<String, String> metadata = new LinkedHashMap<>();
            metadata.put("blt.train.step", Long.toString(adam.step()));
            BitsPerByte.Result eval = null;
            if (heldOut != null) {
                List<float[]> entropies = cfg.patching.targetPatchSize > 0 ? new ArrayList<>() : null;
                eval = evaluate(model, adam.step(), cfg.eval.finalLimit(), entropies);
                if (entropies != null) {
                    metadata.putAll(recommendedThreshold(entropies));
                }
            }
            result.save(Path.of(cfg.output), DType.F32, metadata);
            log.accept(String.format("done: %d steps in %.1f s, %.0f tokens/s; weights in %s",
                    adam.step(), (System.nanoTime() - t0) / 1e9, tokensPerSecond, cfg.output));
            return new Summary(adam.step(), lastLoss, eval, tokensPerSecond, result);
        }
    }

    private BitsPerByte.Result evaluate(TrainableModel model, long step) throws IOException {
        return evaluate(model, step, cfg.eval.maxBytes, null);
    }

    /** Held-out loss; with {@code entropies} not null, also each held-out document's entropies. */
    private BitsPerByte.Result evaluate(TrainableModel model, long step, long maxBytes, List<float[]> entropies)
            throws IOException {
        long t = System.nanoTime();
        BitsPerByte.Result r;
        try (LMTransformer scoring = LMTransformer.build(model.weights())) {
            r = BitsPerByte.evaluate(scoring, heldOut, maxBytes, entropies);
        }
        log.accept(String.format("eval step %d: loss %.4f  bits_per_byte %.4f  (%d documents, %d bytes, %.1f s)",
                step, r.loss(), r.bitsPerByte(), r.documents(), r.bytes(), (System.nanoTime() - t) / 1e9));
        System.gc();
        return r;
    }

    /**
     * The metadata that makes the threshold giving {@code patching.target_patch_size} on the held-out documents
     * travel with the weights; none (with a line saying why) when the documents cannot reach it.
     */
    private Map<String, String> recommendedThreshold(List<float[]> entropies) {
        double target = cfg.patching.targetPatchSize;
        ThresholdCalibration.Result c;
        try {
            c = ThresholdCalibration.calibrate(entropies, target, PatchOptions.defaults());
        } catch (IllegalArgumentException e) {
            log.accept("no recommended threshold recorded: " + e.getMessage());
            return Map.of();
        }
        log.accept(String.format(Locale.ROOT, "recommended threshold %s: mean patch %.3f bytes on %d held-out "
                + "documents (target %s)", (float) c.threshold(), c.meanPatch(), c.documents(), target));
        return Map.of(ModelWeights.RECOMMENDED_THRESHOLD_KEY, Float.toString((float) c.threshold()),
                ModelWeights.RECOMMENDED_THRESHOLD_TARGET_KEY, Double.toString(target));
    }

    private void save(Path root, TrainableModel model, AdamW adam, RowPacker packer) throws IOException {
        Path dir = Checkpoint.dirFor(root, adam.step());
        Checkpoint.save(dir, model, adam, packer.rowsDrawn());
        log.accept("checkpoint " + dir);
    }
}
