package dev.blt.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import dev.blt.model.ModelWeights;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

@Parameters(commandDescription = "Train an entropy model from scratch as a YAML config describes (see configs/train-tiny.yaml)")
public final class TrainCommand implements Command, HelpOption {
    @Parameter(names = "--config", required = true, description = "YAML training config")
    private Path config;

    @Parameter(names = "--resume", description = "Continue from a checkpoint directory (or the newest step_* in a run's checkpoint dir)")
    private Path resume;

    @Parameter(names = {"-h", "--help"}, help = true, description = "Show this help")
    private boolean help;

    @Override
    public String name() {
        return "train";
    }

    @Override
    public boolean help() {
        return help;
    }

    @Override
    public int run() throws IOException {
        return TrainingRun.run(config, resume, cfg -> {
            try {
                return ModelWeights.random(cfg.modelConfig(config, Main::warn), cfg.initSeed);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
