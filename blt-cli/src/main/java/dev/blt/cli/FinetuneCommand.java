package dev.blt.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import dev.blt.model.ModelWeights;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

@Parameters(commandDescription = "Fine-tune existing weights (e.g. the released model) on your corpus; see configs/finetune-released.yaml")
public final class FinetuneCommand implements Command, HelpOption {
    @Parameter(names = "--weights", required = true, description = "Starting weights (.safetensors, upstream names)")
    private Path weights;

    @Parameter(names = "--model-config", description = "Model config JSON, if the weights file carries none in its metadata")
    private Path modelConfig;

    @Parameter(names = "--config", required = true, description = "YAML training config (its model section is ignored)")
    private Path config;

    @Parameter(names = "--resume", description = "Continue from a checkpoint directory (or the newest step_* in a run's checkpoint dir)")
    private Path resume;

    @Parameter(names = {"-h", "--help"}, help = true, description = "Show this help")
    private boolean help;

    @Override
    public String name() {
        return "finetune";
    }

    @Override
    public boolean help() {
        return help;
    }

    @Override
    public int run() throws IOException {
        return TrainingRun.run(config, resume, cfg -> {
            if (cfg.model != null && !cfg.model.isNull()) {
                Main.warn(config + ": the 'model' section is ignored when fine-tuning (the weights define the model)");
            }
            try {
                return ModelWeights.open(weights, modelConfig, Main::warn);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
