package dev.blt.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import com.beust.jcommander.ParametersDelegate;

import java.io.IOException;
import java.nio.file.Path;

@Parameters(commandDescription = "Fine-tune existing weights (e.g. the released model) on your corpus; see configs/finetune-released.yaml")
public final class FinetuneCommand implements Command, HelpOption {
    @Parameter(names = "--weights", required = true, description = "Starting weights. " + ModelOptions.WEIGHTS_FORMATS)
    private Path weights;

    @Parameter(names = "--model-config", description = "Model config JSON, if the weights file carries none in its metadata")
    private Path modelConfig;

    @ParametersDelegate
    private final TrainingRunOptions run = new TrainingRunOptions();

    @Override
    public String name() {
        return "finetune";
    }

    @Override
    public boolean help() {
        return run.help;
    }

    @Override
    public int run() throws IOException {
        return TrainingRun.run(run.config, run.resume, run.overwrite,
                (cfg, file) -> TrainingRun.fineTuneStart(weights, modelConfig, cfg, file));
    }
}
