package dev.blt.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import com.beust.jcommander.ParametersDelegate;
import dev.blt.model.ModelWeights;

import java.io.IOException;
import java.nio.file.Path;

@Parameters(commandDescription = "Train an entropy model from scratch as a YAML config describes (see configs/train-tiny.yaml)")
public final class TrainCommand implements Command, HelpOption {
    @ParametersDelegate
    private final TrainingRunOptions run = new TrainingRunOptions();

    @Override
    public String name() {
        return "train";
    }

    @Override
    public boolean help() {
        return run.help;
    }

    @Override
    public int run() throws IOException {
        return TrainingRun.run(run.config, run.resume, run.overwrite,
                (cfg, file) -> ModelWeights.random(cfg.modelConfig(file, Main::warn), cfg.initSeed));
    }
}
