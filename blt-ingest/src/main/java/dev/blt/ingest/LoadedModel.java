package dev.blt.ingest;

import dev.blt.model.LMTransformer;
import dev.blt.model.ModelConfig;
import dev.blt.model.ModelWeights;
import dev.blt.model.SequenceScorer;
import dev.blt.model.WeightsLocator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/** The entropy model an ingest run uses, with its identity and the scorer that runs it. */
public record LoadedModel(Path weights, ModelConfig config, String sha256, SequenceScorer scorer) {

    /**
     * Loads {@code weights} (a file or a checkpoint folder; null: the default model of the installation) with
     * {@code configFile} (null: the config in the folder, else the one stored in the weights' metadata), scoring
     * with {@code streams} threads, which share the process's native threads.
     */
    public static LoadedModel load(Path weights, Path configFile, Integer chunk, int streams, Consumer<String> warn)
            throws IOException {
        Path w = weights;
        if (w == null) {
            w = defaultWeights();
            if (!Files.isRegularFile(w)) {
                throw new IOException(w + ": no default model installed; pass --weights FILE.safetensors "
                        + "(and --model-config if the file does not carry its config)");
            }
        }
        WeightsLocator.Location where = WeightsLocator.locate(w, configFile);
        ModelWeights loaded = ModelWeights.open(where, warn);
        ModelConfig config = loaded.config();
        LMTransformer model = LMTransformer.build(loaded);
        return new LoadedModel(where.weights(), config, ModelIdentity.sha256(where.files(), config),
                new SequenceScorer(model, chunk, streams));
    }

    /** The default model shipped in {@code weights/} of the installation ({@code blt.home}, else the working directory). */
    public static Path defaultWeights() {
        return Path.of(System.getProperty("blt.home", "."), "weights", "default.safetensors");
    }
}
