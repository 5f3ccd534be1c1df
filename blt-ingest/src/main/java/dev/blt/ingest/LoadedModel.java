package dev.blt.ingest;

import dev.blt.model.LMTransformer;
import dev.blt.model.ModelConfig;
import dev.blt.model.ModelWeights;
import dev.blt.model.Precision;
import dev.blt.model.SequenceScorer;
import dev.blt.model.WeightsLocator;
import org.apache.arrow.util.AutoCloseables;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The entropy model an ingest run uses, with its identity and the scorer that runs it. Owns both, as it built them:
 * {@link #close} frees the scorer's threads and the model's native memory.
 */
public record LoadedModel(Path weights, ModelConfig config, String sha256, LMTransformer model, SequenceScorer scorer)
        implements AutoCloseable {

    /**
     * Loads {@code weights} (a file or a checkpoint folder; null: the default model of the installation) with
     * {@code configFile} (null: the config in the folder, else the one stored in the weights' metadata), computing
     * in {@code precision}, scoring with {@code streams} threads, which share the process's native threads.
     */
    public static LoadedModel load(Path weights, Path configFile, Precision precision, Integer chunk, int streams,
                                   Consumer<String> warn) throws IOException {
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
        String sha256 = ModelIdentity.sha256(where.files(), config);
        LMTransformer model = LMTransformer.build(loaded, precision);
        try {
            return new LoadedModel(where.weights(), config, sha256, model, new SequenceScorer(model, chunk, streams));
        } catch (RuntimeException e) {
            AutoCloseables.close(e, model);
            throw e;
        }
    }

    /** Stops the scorer, then frees the model. Idempotent. */
    @Override
    public void close() {
        try {
            AutoCloseables.close(scorer, model);
        } catch (Exception e) {
            throw new IllegalStateException("could not free the entropy model", e);
        }
    }

    /** The default model shipped in {@code weights/} of the installation ({@code blt.home}, else the working directory). */
    public static Path defaultWeights() {
        return Path.of(System.getProperty("blt.home", "."), "weights", "default.safetensors");
    }
}
