package dev.blt.cli;

import dev.blt.data.io.EarlierRun;
import dev.blt.model.ModelWeights;
import dev.blt.train.Checkpoint;
import dev.blt.train.TrainConfig;
import dev.blt.train.Trainer;
import dev.blt.train.TrainingData;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/** What {@code train} and {@code finetune} share: read the config, build the data, run, print the result. */
final class TrainingRun {
    private TrainingRun() {
    }

    /**
     * {@code start} gives the starting weights for a fresh run; it is not called when resuming. A fresh run into a
     * checkpoint directory that holds checkpoints is refused unless {@code overwrite}, which removes them first: a
     * later {@code --resume} takes the newest step, which could otherwise be the earlier run's.
     */
    static int run(Path configFile, Path resume, boolean overwrite, Function<TrainConfig, ModelWeights> start)
            throws IOException {
        if (resume != null && overwrite) {
            throw new UserError("--resume and --overwrite: choose one (continue the earlier run, or replace it)");
        }
        TrainConfig cfg = TrainConfig.load(configFile);
        Path checkpoint = resume == null ? null : Checkpoint.resolve(resume);
        Path checkpoints = Path.of(cfg.checkpoint.dir);
        EarlierRun.requireFolder(checkpoints, "checkpoint.dir in " + configFile);
        List<Path> earlier = resume == null ? Checkpoint.all(checkpoints) : List.of();
        if (!earlier.isEmpty() && !overwrite) {
            throw EarlierRun.refusal(checkpoints, "training run", earlier.get(earlier.size() - 1),
                    "--resume " + checkpoints, "set another checkpoint.dir in " + configFile);
        }
        // the data and the starting weights are read before the earlier run is removed
        TrainingData data = TrainingData.from(cfg.data);
        ModelWeights weights = checkpoint == null ? start.apply(cfg) : null;
        if (!earlier.isEmpty()) {
            Checkpoint.removeAll(checkpoints);
        }
        Trainer.Summary s = new Trainer(cfg, data.train(), data.heldOut(), System.err::println).run(weights, checkpoint);
        System.out.printf("steps=%d%nfinal_loss=%.6f%ntokens_per_second=%.1f%n", s.steps(), s.lastLoss(), s.tokensPerSecond());
        if (s.eval() != null) {
            System.out.printf("heldout_loss=%.6f%nheldout_bits_per_byte=%.6f%n", s.eval().loss(), s.eval().bitsPerByte());
        }
        System.out.println("weights=" + cfg.output);
        return 0;
    }
}
