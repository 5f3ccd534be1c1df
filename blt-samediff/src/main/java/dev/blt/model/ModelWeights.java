package dev.blt.model;

import dev.blt.data.tensors.DType;
import dev.blt.data.tensors.SafeTensorsWriter;
import dev.blt.data.tensors.TensorFileException;
import dev.blt.data.tensors.TensorInfo;
import dev.blt.data.tensors.TensorSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The entropy model's parameters as float32 arrays under their upstream names, checked against a config.
 * Files are {@code .safetensors} (one file or shards), upstream's {@code torch.save} checkpoints
 * ({@code consolidated.pth}) or Burn records ({@code .mpk}, {@code .mpk.gz}; see {@link TensorSource#open}), under
 * the upstream state-dict names or transformers' BLT names ({@link TransformersBlt}), and all checked by {@link #load}; a safetensors file may carry the config in {@code __metadata__} under
 * {@link #CONFIG_METADATA_KEY}.
 */
public final class ModelWeights {
    public static final String CONFIG_METADATA_KEY = "blt.model_config";
    /** Metadata key of the threshold calibrated for this model ({@link #recommendedThreshold}), a float. */
    public static final String RECOMMENDED_THRESHOLD_KEY = "blt.recommended_threshold";
    /** Metadata key of the mean patch length in bytes that {@link #RECOMMENDED_THRESHOLD_KEY} was calibrated for. */
    public static final String RECOMMENDED_THRESHOLD_TARGET_KEY = "blt.recommended_threshold_target";

    private final ModelConfig config;
    private final Map<String, float[]> tensors;

    private ModelWeights(ModelConfig config, Map<String, float[]> tensors) {
        this.config = config;
        this.tensors = tensors;
    }

    public ModelConfig config() {
        return config;
    }

    public float[] get(String name) {
        float[] t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no weight named " + name);
        }
        return t;
    }

    /** Read-only view of every tensor by upstream name, in state-dict order. */
    public Map<String, float[]> asMap() {
        return Collections.unmodifiableMap(tensors);
    }

    public static ModelWeights of(ModelConfig config, Map<String, float[]> tensors) {
        Map<String, long[]> expected = WeightNames.expected(config);
        Map<String, float[]> copy = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            float[] t = tensors.get(e.getKey());
            long n = Arrays.stream(e.getValue()).reduce(1, (a, b) -> a * b);
            if (t == null || t.length != n) {
                throw new IllegalArgumentException("weight " + e.getKey() + " missing or not of shape "
                        + Arrays.toString(e.getValue()));
            }
            copy.put(e.getKey(), t);
        }
        return new ModelWeights(config, copy);
    }

    /**
     * Loads weights with their config: read from {@code configFile} when given, else from the folder (see
     * {@link WeightsLocator}), else from the weights' metadata. Errors name the file and what to pass instead.
     */
    public static ModelWeights open(Path weights, Path configFile, Consumer<String> warn) throws IOException {
        return open(WeightsLocator.locate(weights, configFile), warn);
    }

    /** {@link #open(Path, Path, Consumer)} for weights already located (callers that also need the tensor file). */
    public static ModelWeights open(WeightsLocator.Location where, Consumer<String> warn) throws IOException {
        ModelConfig config = config(where, warn);
        if (config == null) {
            throw new IOException(where.weights() + ": the weights carry no model config in their metadata; pass "
                    + "--model-config FILE.json (for a consolidated.pth: the params.json beside it)");
        }
        return load(where.weights(), config, warn);
    }

    /** The config of located weights: from their config file when there is one, else their metadata; or null. */
    public static ModelConfig config(WeightsLocator.Location where, Consumer<String> warn) throws IOException {
        return where.config() != null ? ModelConfig.load(where.config(), warn) : storedConfig(where.weights(), warn);
    }

    /**
     * A weights file as a source under upstream's names: any format {@link TensorSource#open} reads, with
     * transformers' BLT names renamed ({@link TransformersBlt#view}).
     */
    public static TensorSource openTensors(Path file) throws TensorFileException {
        return TransformersBlt.view(TensorSource.open(file));
    }

    /** Reads the config stored in a weights file's metadata, or null if it has none. */
    public static ModelConfig storedConfig(Path file, Consumer<String> warn) throws IOException {
        try (TensorSource st = TensorSource.open(file)) {
            String json = st.metadata().get(CONFIG_METADATA_KEY);
            return json == null ? null : ModelConfig.parse(json, file + " (metadata " + CONFIG_METADATA_KEY + ")", warn);
        }
    }

    /**
     * The threshold recorded in the metadata of {@code weights} (a file or a checkpoint folder) under
     * {@link #RECOMMENDED_THRESHOLD_KEY}, or null when there is none (formats without metadata have none).
     */
    public static Float recommendedThreshold(Path weights) throws IOException {
        String v = thresholdMetadata(weights).get(RECOMMENDED_THRESHOLD_KEY);
        if (v == null) {
            return null;
        }
        try {
            float t = Float.parseFloat(v.trim());
            if (Float.isFinite(t)) {
                return t;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IOException(weights + ": metadata " + RECOMMENDED_THRESHOLD_KEY + " is not a finite number: '" + v + "'");
    }

    /** The recommended-threshold entries of the metadata of {@code weights} (file or folder), for a copy to carry. */
    public static Map<String, String> thresholdMetadata(Path weights) throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        try (TensorSource st = TensorSource.open(WeightsLocator.locate(weights, null).weights())) {
            for (String k : List.of(RECOMMENDED_THRESHOLD_KEY, RECOMMENDED_THRESHOLD_TARGET_KEY)) {
                String v = st.metadata().get(k);
                if (v != null) {
                    m.put(k, v);
                }
            }
        }
        return m;
    }

    /**
     * Loads and validates every tensor before returning (see {@link #validate}, {@link #requireFinite}); tensors
     * outside the model's namespace (e.g. a fixture's test data) are ignored with one warning.
     */
    public static ModelWeights load(Path file, ModelConfig config, Consumer<String> warn) throws IOException {
        try (TensorSource st = openTensors(file)) {
            return load(st, config, warn);
        }
    }

    /** {@link #load(Path, ModelConfig, Consumer)} from an open source (a folder layout that renames tensors). */
    public static ModelWeights load(TensorSource st, ModelConfig config, Consumer<String> warn) throws IOException {
        List<String> ignored = validate(st, config);
        if (!ignored.isEmpty()) {
            warn.accept(st.path() + ": ignoring " + ignored.size() + " tensors outside the model (e.g. '"
                    + ignored.get(0) + "')");
        }
        return new ModelWeights(config, readFinite(st, config));
    }

    /**
     * Reads every tensor the config needs and refuses the first holding a NaN or an infinity: such weights load
     * and run, but every output they touch is NaN, so they are stopped here, where the file can still be named.
     */
    public static Map<String, float[]> readFinite(TensorSource st, ModelConfig config) throws TensorFileException {
        Map<String, float[]> tensors = new LinkedHashMap<>();
        for (String name : WeightNames.expected(config).keySet()) {
            float[] t = st.readFloats(name);
            requireFinite(st.path(), name, t);
            tensors.put(name, t);
        }
        return tensors;
    }

    /** Throws, naming the file and tensor, how many values are NaN or infinite and where the first one is. */
    public static void requireFinite(Path file, String name, float[] t) throws TensorFileException {
        int nan = 0;
        int inf = 0;
        int first = -1;
        for (int i = 0; i < t.length; i++) {
            float v = t[i];
            if (!Float.isFinite(v)) {
                if (Float.isNaN(v)) {
                    nan++;
                } else {
                    inf++;
                }
                if (first < 0) {
                    first = i;
                }
            }
        }
        if (first >= 0) {
            throw new TensorFileException(file, name, (nan + inf) + " of " + t.length + " values are not finite ("
                    + nan + " NaN, " + inf + " Inf; the first at flat index " + first + ")");
        }
    }

    /**
     * The one check every weights format goes through, from the tensor entries alone: all expected names present,
     * floating dtype, exact shape, and no unexpected tensor inside the model's namespace. Returns the names of the
     * tensors outside that namespace.
     */
    public static List<String> validate(TensorSource st, ModelConfig config) throws TensorFileException {
        Path file = st.path();
        Map<String, long[]> expected = WeightNames.expected(config);
        List<String> ignored = new ArrayList<>();
        for (TensorInfo t : st.tensors().values()) {
            if (!expected.containsKey(t.name())) {
                if (WeightNames.inModelNamespace(t.name())) {
                    throw new TensorFileException(file, t.name(), "unexpected tensor for a model with "
                            + config.nLayers() + " layers (wrong config or not an LMTransformer checkpoint)");
                }
                ignored.add(t.name());
            }
        }
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            if (!st.contains(e.getKey())) {
                throw new TensorFileException(file, e.getKey(), "missing (expected shape "
                        + Arrays.toString(e.getValue()) + ")");
            }
            TensorInfo info = st.info(e.getKey());
            if (!Arrays.equals(info.shape(), e.getValue())) {
                throw new TensorFileException(file, e.getKey(), "has shape " + info.shapeString()
                        + " but the config needs " + Arrays.toString(e.getValue()));
            }
            if (!info.dtype().isFloating()) {
                throw new TensorFileException(file, e.getKey(), "has dtype " + info.dtype() + ", expected F32, BF16 or F16");
            }
        }
        return ignored;
    }

    /** Writes the weights under upstream names, with the config in the metadata. */
    public void save(Path file, DType dtype, Map<String, String> extraMetadata) throws IOException {
        SafeTensorsWriter w = new SafeTensorsWriter();
        w.metadata("format", "pt");
        w.metadata(CONFIG_METADATA_KEY, config.toJson());
        w.metadata(extraMetadata);
        Map<String, long[]> expected = WeightNames.expected(config);
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            w.addFloats(e.getKey(), tensors.get(e.getKey()), dtype, e.getValue());
        }
        w.write(file);
    }

    /**
     * Upstream's initialisation ({@code init_std_factor = disabled}): truncated normals (at 3 std) with std
     * {@code dim^-0.5} for embeddings, output and attention/FFN inputs, {@code hidden^-0.5} for w2; norms at 1.
     * The random stream is ours, not torch's.
     */
    public static ModelWeights random(ModelConfig config, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double stdIn = Math.pow(config.dim(), -0.5);
        double stdHidden = Math.pow(config.ffnHidden(), -0.5);
        Map<String, float[]> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : WeightNames.expected(config).entrySet()) {
            int n = (int) Arrays.stream(e.getValue()).reduce(1, (a, b) -> a * b);
            float[] t = new float[n];
            if (e.getValue().length == 1) {
                Arrays.fill(t, 1f);
            } else {
                double std = e.getKey().endsWith("w2.weight") ? stdHidden : stdIn;
                for (int i = 0; i < n; i++) {
                    t[i] = (float) (std * truncatedGaussian(rnd));
                }
            }
            tensors.put(e.getKey(), t);
        }
        return new ModelWeights(config, tensors);
    }

    private static double truncatedGaussian(SplittableRandom rnd) {
        while (true) {
            // the JDK's ziggurat sampler (Box-Muller's log and cos are slow at the released model's size); redraw
            // outside [-3, 3] as torch's trunc_normal_ bounds do
            double g = rnd.nextGaussian();
            if (Math.abs(g) <= 3) {
                return g;
            }
        }
    }
}
