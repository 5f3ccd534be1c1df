package dev.blt.ingest;

import dev.blt.model.LMTransformer;
import dev.blt.model.ModelConfig;
import dev.blt.model.ModelWeights;
import dev.blt.model.SequenceScorer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/** The entropy model an ingest run uses, with its identity and the scorer that runs it. */
record LoadedModel(Path weights, ModelConfig config, String sha256, SequenceScorer scorer) {

    /** Where the default model lives, relative to the installation ({@code -Dblt.home}) or the working directory. */
    static Path defaultWeights() {
        return Path.of(System.getProperty("blt.home", ".")).resolve("weights").resolve("default.safetensors");
    }

    /**
     * Loads {@code weights} (null: the default model) with {@code configFile} (null: the config stored in the
     * weights' metadata).
     */
    static LoadedModel load(Path weights, Path configFile, Integer chunk, Consumer<String> warn) throws IOException {
        Path w = weights;
        if (w == null) {
            w = defaultWeights();
            if (!Files.isRegularFile(w)) {
                throw new IOException(w + ": no default model installed; pass --weights FILE.safetensors "
                        + "(and --model-config if the file does not carry its config)");
            }
        } else if (!Files.isRegularFile(w)) {
            throw new IOException(w + ": weights file not found");
        }
        ModelConfig config = configFile != null ? ModelConfig.load(configFile, warn) : ModelWeights.storedConfig(w, warn);
        if (config == null) {
            throw new IOException(w + ": the weights carry no model config in their metadata; pass --model-config FILE.json");
        }
        LMTransformer model = LMTransformer.build(ModelWeights.load(w, config, warn));
        int c = chunk != null ? chunk : SequenceScorer.defaultChunk(config);
        return new LoadedModel(w, config, ModelIdentity.sha256(w, config), new SequenceScorer(model, c));
    }
}
