package dev.blt.cli;

import dev.blt.data.io.EarlierRun;
import dev.blt.model.ModelConfig;
import dev.blt.model.ModelWeights;
import dev.blt.train.Checkpoint;
import dev.blt.train.TrainConfig;
import dev.blt.train.TrainRecipe;
import dev.blt.train.Trainer;
import dev.blt.train.TrainingData;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code train} and {@code finetune} share: read the config (one run, or a recipe of stages), build the data,
 * run, print the result.
 */
final class TrainingRun {
    private TrainingRun() {
    }

    /** The weights a fresh run starts from, given its config and that config's file. */
    interface Start {
        ModelWeights weights(TrainConfig cfg, Path configFile) throws IOException;
    }

    /**
     * {@code start} gives the first stage's starting weights; every later stage starts from the weights its
     * predecessor wrote. A resumed stage starts from its checkpoint instead. A fresh stage whose checkpoint directory
     * holds checkpoints is refused unless {@code overwrite}, which removes them first: a later {@code --resume}
     * takes the newest step, which could otherwise be the earlier run's. Every stage's config, data and checkpoint
     * directory is checked before the first one starts, so a mistake in the last stage does not wait for the others.
     */
    static int run(Path configFile, Path resume, boolean overwrite, Start start) throws IOException {
        if (resume != null && overwrite) {
            throw new UserError("--resume and --overwrite: choose one (continue the earlier run, or replace it)");
        }
        TrainRecipe recipe = TrainRecipe.load(configFile);
        List<Path> files = recipe.stages();
        List<TrainConfig> cfgs = new ArrayList<>();
        Map<Path, Path> dirs = new HashMap<>();
        for (Path f : files) {
            TrainConfig cfg = TrainConfig.load(f);
            Path other = dirs.putIfAbsent(Path.of(cfg.checkpoint.dir).toAbsolutePath().normalize(), f);
            if (other != null) {
                throw new UserError(configFile + ": stages " + other + " and " + f + " share checkpoint.dir "
                        + cfg.checkpoint.dir + "; give each its own, so a resume knows which stage to continue");
            }
            cfgs.add(cfg);
        }
        Path checkpoint = resume == null ? null : Checkpoint.resolve(resume);
        int first = checkpoint == null ? 0 : resumedStage(recipe, cfgs, checkpoint);
        List<TrainingData> data = new ArrayList<>();
        for (int i = first; i < cfgs.size(); i++) {
            Path checkpoints = Path.of(cfgs.get(i).checkpoint.dir);
            EarlierRun.requireFolder(checkpoints, "checkpoint.dir in " + files.get(i));
            List<Path> found = resumed(i, first, checkpoint) ? List.of() : Checkpoint.all(checkpoints);
            if (!found.isEmpty() && !overwrite) {
                throw EarlierRun.refusal(checkpoints, "training run", found.get(found.size() - 1),
                        "--resume " + checkpoints, "set another checkpoint.dir in " + files.get(i));
            }
            data.add(TrainingData.from(cfgs.get(i).data));
        }
        Trainer.Summary s = null;
        for (int i = first; i < cfgs.size(); i++) {
            TrainConfig cfg = cfgs.get(i);
            boolean resumed = resumed(i, first, checkpoint);
            if (files.size() > 1) {
                System.err.println("stage " + (i + 1) + "/" + files.size() + ": " + files.get(i)
                        + (resumed ? ", resumed from " + checkpoint : ""));
            }
            // the starting weights are read before the earlier run is removed (with --overwrite; without it, a
            // fresh stage's checkpoint folder was found empty above, so nothing is removed)
            ModelWeights weights = resumed ? null : i == 0 ? start.weights(cfg, files.get(i))
                    : fineTuneStart(Path.of(cfgs.get(i - 1).output), null, cfg, files.get(i));
            if (!resumed) {
                Checkpoint.removeAll(Path.of(cfg.checkpoint.dir));
            }
            TrainingData d = data.get(i - first);
            s = new Trainer(cfg, d.train(), d.heldOut(), System.err::println).run(weights, resumed ? checkpoint : null);
        }
        TrainConfig last = cfgs.get(cfgs.size() - 1);
        System.out.printf("steps=%d%nfinal_loss=%.6f%ntokens_per_second=%.1f%n", s.steps(), s.lastLoss(), s.tokensPerSecond());
        if (s.eval() != null) {
            System.out.printf("heldout_loss=%.6f%nheldout_bits_per_byte=%.6f%n", s.eval().loss(), s.eval().bitsPerByte());
        }
        System.out.println("weights=" + last.output);
        return 0;
    }

    private static boolean resumed(int stage, int first, Path checkpoint) {
        return stage == first && checkpoint != null;
    }

    /** The stage whose checkpoint directory holds {@code checkpoint}; a single run takes a checkpoint from anywhere. */
    private static int resumedStage(TrainRecipe recipe, List<TrainConfig> cfgs, Path checkpoint) {
        if (cfgs.size() == 1) {
            return 0;
        }
        Path root = checkpoint.toAbsolutePath().normalize().getParent();
        List<String> dirs = new ArrayList<>();
        for (int i = 0; i < cfgs.size(); i++) {
            Path dir = Path.of(cfgs.get(i).checkpoint.dir).toAbsolutePath().normalize();
            if (dir.equals(root)) {
                return i;
            }
            dirs.add(cfgs.get(i).checkpoint.dir);
        }
        throw new UserError("--resume " + checkpoint + " is in none of " + recipe.file()
                + "'s checkpoint directories " + dirs + ": pass the one of the stage to continue");
    }

    /**
     * Fine-tuning's starting weights: {@code weights} with the config's model section written over their config
     * (only fields that keep the tensors' shapes may change).
     */
    static ModelWeights fineTuneStart(Path weights, Path modelConfig, TrainConfig cfg, Path configFile)
            throws IOException {
        ModelWeights start = ModelWeights.open(weights, modelConfig, Main::warn);
        ModelConfig tuned = cfg.fineTuneConfig(start.config(), configFile, Main::warn);
        if (tuned.equals(start.config())) {
            return start;
        }
        System.err.println("model: " + weights + " with " + configFile + "'s model section: " + tuned.toJson());
        return ModelWeights.of(tuned, start.asMap());
    }
}
