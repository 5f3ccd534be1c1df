package dev.blt.train;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.blt.model.ModelConfig;
import dev.blt.model.WeightNames;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A training or fine-tuning run as read from YAML (see {@code configs/}). Field names are snake_case in the file;
 * the optimizer fields keep upstream's {@code OptimArgs} names. Unknown keys are errors, so a typo never silently
 * falls back to a default.
 */
public final class TrainConfig {
    /**
     * Upstream LMTransformerArgs for training from scratch. When fine-tuning, the weights carry their config and this
     * section may only change fields that keep every tensor's shape (see {@link #fineTuneConfig}).
     */
    public JsonNode model;
    /** Seed of the random initialisation. */
    public long initSeed = 42;
    /** Total optimizer updates (upstream {@code steps}); the cosine schedule ends here. */
    public long steps = 1000;
    /** "float" (fast) or "double" (reference precision). */
    public String precision = "float";
    /** Where the final weights are written; checkpoints go to {@code checkpoint.dir}. */
    public String output = "model.safetensors";
    /** Log a progress line every this many steps. */
    public int logEvery = 10;
    public Data data = new Data();
    public Optim optim = new Optim();
    public Eval eval = new Eval();
    public Patching patching = new Patching();
    public Checkpoint checkpoint = new Checkpoint();

    public static final class Data {
        public List<String> inputs = new ArrayList<>();
        /** Every non-empty line of a .txt input is a document. */
        public boolean lineDocs;
        /** Fraction of documents held out for evaluation (spread evenly), when {@code eval_inputs} is empty. */
        public double holdoutFraction = 0.05;
        public List<String> evalInputs = new ArrayList<>();
        public int seqLen = 512;
        /** Rows per micro-batch (one forward and backward). */
        public int batchSize = 4;
        /**
         * Micro-batches per optimizer step (upstream {@code grad_acc_steps}): a step sees batch_size x grad_accum_steps
         * rows, with the gradient of that whole batch, in the memory of one micro-batch.
         */
        public int gradAccumSteps = 1;
        public int shuffleBuffer = 64;
        public long seed = 777;
    }

    public static final class Optim {
        public double lr = 4e-4;
        public double weightDecay = 0.1;
        public double epsilon = 1e-8;
        public double beta1 = 0.9;
        public double beta2 = 0.95;
        public double clip = 10.0;
        /** "cosine" (warmup then cosine) or "constant". */
        public String scheduler = "cosine";
        public long warmup = 500;
        public double lrMinRatio = 0.1;
        public double cycleLength = 1.0;
        public double cosineTheta = 1.0;

        public AdamW.Hyper hyper() {
            return new AdamW.Hyper(lr, beta1, beta2, epsilon, weightDecay);
        }

        public LrSchedule schedule(long steps) {
            switch (scheduler) {
                case "constant":
                    return LrSchedule.constant();
                case "cosine":
                    return LrSchedule.cosine(warmup, steps, lrMinRatio, cycleLength, cosineTheta);
                default:
                    throw new IllegalArgumentException("optim.scheduler must be 'cosine' or 'constant', got '" + scheduler + "'");
            }
        }
    }

    public static final class Eval {
        /** Evaluate on the held-out documents every this many steps (0 = only at the end). */
        public long every = 200;
        /** Stop each evaluation after this many held-out bytes (0 = all). */
        public long maxBytes = 200_000;
        /**
         * The same for the final evaluation, whose entropies also calibrate the recommended threshold (null = as
         * {@code max_bytes}): periodic ones can stay cheap while the final figure covers every held-out domain.
         */
        public Long finalMaxBytes;

        long finalLimit() {
            return finalMaxBytes == null ? maxBytes : finalMaxBytes;
        }
    }

    public static final class Patching {
        /**
         * Mean patch length in bytes the threshold recorded in the output weights' metadata is calibrated for, on
         * the final evaluation's held-out documents (0 = record none).
         */
        public double targetPatchSize = 4.5;
    }

    public static final class Checkpoint {
        public String dir = "checkpoints";
        /** Save weights + optimizer state every this many steps (0 = only at the end). */
        public long every = 500;
    }

    public static TrainConfig load(Path file) throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": file not found");
        }
        TrainConfig c;
        try {
            c = yaml.readValue(file.toFile(), TrainConfig.class);
        } catch (JsonMappingException e) {
            throw new IOException(file + ": " + e.getOriginalMessage() + " at " + e.getPathReference());
        } catch (IOException e) {
            throw new IOException(file + ": not valid YAML: " + e.getMessage());
        }
        if (c == null) {
            throw new IOException(file + ": empty config");
        }
        c.validate(file);
        return c;
    }

    private void validate(Path file) throws IOException {
        List<String> bad = new ArrayList<>();
        if (steps < 1) {
            bad.add("steps must be >= 1");
        }
        if (data.inputs.isEmpty()) {
            bad.add("data.inputs is empty");
        }
        if (data.seqLen < 2) {
            bad.add("data.seq_len must be >= 2");
        }
        if (data.batchSize < 1) {
            bad.add("data.batch_size must be >= 1");
        }
        if (data.gradAccumSteps < 1) {
            bad.add("data.grad_accum_steps must be >= 1");
        }
        if (patching.targetPatchSize != 0 && !(patching.targetPatchSize > 1)) {
            bad.add("patching.target_patch_size must be more than 1 (or 0: no calibration)");
        }
        if (!precision.equals("float") && !precision.equals("double")) {
            bad.add("precision must be float or double");
        }
        try {
            optim.schedule(steps);
        } catch (IllegalArgumentException e) {
            bad.add(e.getMessage());
        }
        if (!bad.isEmpty()) {
            throw new IOException(file + ": " + String.join("; ", bad));
        }
    }

    /**
     * The config a fine-tuning run trains: the starting weights' own, with the model section's fields written over
     * it. Only what leaves every tensor's shape as it is may change (such as the attention window and mask, RoPE,
     * the norms' epsilon, max_seqlen, eos_id): anything else needs new weights, so it is refused.
     */
    public ModelConfig fineTuneConfig(ModelConfig start, Path file, Consumer<String> warn) throws IOException {
        if (model == null || model.isNull()) {
            return start;
        }
        if (!model.isObject()) {
            throw new IOException(file + ": 'model' must be a mapping of model fields");
        }
        ObjectNode merged = (ObjectNode) new ObjectMapper().readTree(start.toJson());
        merged.setAll((ObjectNode) model);
        ModelConfig c;
        try {
            c = ModelConfig.fromJson(merged, file + " (model)", warn);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage());
        }
        Map<String, long[]> before = WeightNames.expected(start);
        Map<String, long[]> after = WeightNames.expected(c);
        boolean sameShapes = before.keySet().equals(after.keySet())
                && before.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(), after.get(e.getKey())));
        if (!sameShapes) {
            throw new IOException(file + ": the model section changes the starting weights' tensor shapes; when "
                    + "fine-tuning it may change only what keeps them, such as sliding_window, attn_bias_type, "
                    + "rope_theta, norm_eps, max_seqlen and eos_id (train from scratch for another size)");
        }
        return c;
    }

    /** The model section as a config, for training from scratch. */
    public ModelConfig modelConfig(Path file, Consumer<String> warn) throws IOException {
        if (model == null || model.isNull()) {
            throw new IOException(file + ": no 'model' section (needed to train from scratch)");
        }
        try {
            return ModelConfig.fromJson(model, file + " (model)", warn);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage());
        }
    }
}
