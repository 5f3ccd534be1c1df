package dev.blt.cli;

import dev.blt.model.ModelWeights;
import dev.blt.train.Checkpoint;
import dev.blt.train.TrainConfig;
import dev.blt.train.Trainer;
import dev.blt.train.TrainingData;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Function;

/** What {@code train} and {@code finetune} share: read the config, build the data, run, print the result. */
final class TrainingRun {
    private TrainingRun() {
    }

    /** {@code start} gives the starting weights for a fresh run; it is not called when resuming. */
    static int run(Path configFile, Path resume, Function<TrainConfig, ModelWeights> start) throws IOException {
        TrainConfig cfg = TrainConfig.load(configFile);
        TrainingData data = TrainingData.from(cfg.data);
        Path checkpoint = resume == null ? null : Checkpoint.resolve(resume);
        ModelWeights weights = checkpoint == null ? start.apply(cfg) : null;
        Trainer.Summary s = new Trainer(cfg, data.train(), data.heldOut(), System.err::println).run(weights, checkpoint);
        System.out.printf("steps=%d%nfinal_loss=%.6f%ntokens_per_second=%.1f%n", s.steps(), s.lastLoss(), s.tokensPerSecond());
        if (s.eval() != null) {
            System.out.printf("heldout_loss=%.6f%nheldout_bits_per_byte=%.6f%n", s.eval().loss(), s.eval().bitsPerByte());
        }
        System.out.println("weights=" + cfg.output);
        return 0;
    }
}
