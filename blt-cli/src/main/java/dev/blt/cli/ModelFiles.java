package dev.blt.cli;

import dev.blt.model.ModelConfig;
import dev.blt.model.ModelWeights;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loads a weights file with its config: from {@code --model-config} if given, else from the file's metadata. */
final class ModelFiles {
    private ModelFiles() {
    }

    static ModelWeights load(Path weights, Path modelConfig) throws IOException {
        if (!Files.isRegularFile(weights)) {
            throw new UserError(weights + ": file not found");
        }
        ModelConfig c = modelConfig != null ? ModelConfig.load(modelConfig, ModelFiles::warn)
                : ModelWeights.storedConfig(weights, ModelFiles::warn);
        if (c == null) {
            throw new UserError(weights + ": no model config in the file's metadata; pass --model-config");
        }
        return ModelWeights.load(weights, c, ModelFiles::warn);
    }

    static void warn(String message) {
        System.err.println("warning: " + message);
    }
}
