package dev.blt.cli;

import com.beust.jcommander.Parameter;
import dev.blt.ingest.LoadedModel;
import dev.blt.model.ModelWeights;
import dev.blt.model.WeightsLocator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code --weights} and {@code --model-config}, shared by every command that loads the entropy model. */
public final class ModelOptions {
    /** What {@code --weights} accepts, for every command that takes it. */
    public static final String WEIGHTS_FORMATS = WeightsLocator.FORMATS;

    @Parameter(names = "--weights", description = WEIGHTS_FORMATS
            + ". Default: weights/default.safetensors of this installation")
    public Path weights;

    @Parameter(names = "--model-config", description = "Model arguments JSON (upstream LMTransformerArgs names: a bare "
            + "object, a params.json with 'entropy_model', an HF config.json with 'args', or a fixture JSON). Optional "
            + "when the weights carry their config or their folder holds one")
    public Path modelConfig;

    /** The default model shipped in weights/. */
    public static Path defaultWeights() {
        return LoadedModel.defaultWeights();
    }

    public Path weightsPath() {
        Path p = weights != null ? weights : defaultWeights();
        if (!Files.exists(p)) {
            throw new UserError(p + ": weights file not found" + (weights == null
                    ? " (no default model is installed; pass --weights W.safetensors)" : ""));
        }
        return p;
    }

    public ModelWeights load() throws IOException {
        try {
            return ModelWeights.open(weightsPath(), modelConfig, Main::warn);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        }
    }
}
