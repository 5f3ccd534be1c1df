package dev.blt.cli;

import com.beust.jcommander.Parameter;

import java.nio.file.Path;

/** The options {@code train} and {@code finetune} share: the YAML config, where to resume, whether to overwrite, help. */
final class TrainingRunOptions {
    @Parameter(names = "--config", required = true, description = "YAML training config, or a file of 'stages:' (training "
            + "configs run in order, each from the weights the one before wrote; see configs/default-model.yaml)")
    Path config;

    @Parameter(names = "--resume", description = "Continue from a checkpoint directory (or the newest step_* in a run's checkpoint dir); "
            + "with stages, the stage whose checkpoint.dir holds it, then the stages after it")
    Path resume;

    @Parameter(names = "--overwrite", arity = 0, description = "Replace the checkpoints of an earlier run in the "
            + "config's checkpoint.dir instead of refusing to start beside them")
    boolean overwrite;

    @Parameter(names = {"-h", "--help"}, help = true, description = "Show this help")
    boolean help;
}
