package dev.blt.train;

import dev.blt.data.io.EarlierRun;
import dev.blt.data.tensors.DType;
import dev.blt.data.tensors.SafeTensorsException;
import dev.blt.data.tensors.SafeTensorsFile;
import dev.blt.data.tensors.SafeTensorsWriter;
import dev.blt.model.ModelConfig;
import dev.blt.model.ModelWeights;
import dev.blt.model.TrainableModel;
import dev.blt.model.WeightNames;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A training checkpoint: a directory {@code step_<n>} with {@code model.safetensors} (upstream names, config in
 * the metadata, float32: loadable by {@code ./blt eval}, ingest, or upstream tooling) and
 * {@code optimizer.safetensors}: AdamW's {@code exp_avg.<name>} / {@code exp_avg_sq.<name>} in upstream layout,
 * with the step count and the data position (rows drawn by the packer, whose seed comes from the config) in the
 * metadata. Float32 values round-trip exactly, so resuming continues bit for bit.
 */
public final class Checkpoint {
    public static final String MODEL_FILE = "model.safetensors";
    public static final String OPTIMIZER_FILE = "optimizer.safetensors";
    private static final String STEP = "blt.train.step";
    private static final String ROWS = "blt.train.rows_drawn";

    private Checkpoint() {
    }

    public static Path dirFor(Path root, long step) {
        return root.resolve(String.format("step_%08d", step));
    }

    public static void save(Path dir, TrainableModel model, AdamW adam, long rowsDrawn) throws IOException {
        Files.createDirectories(dir);
        Map<String, String> meta = Map.of(STEP, Long.toString(adam.step()), ROWS, Long.toString(rowsDrawn));
        model.weights().save(dir.resolve(MODEL_FILE), DType.F32, meta);
        SafeTensorsWriter w = new SafeTensorsWriter();
        w.metadata(meta);
        Map<String, long[]> shapes = WeightNames.expected(model.config());
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            w.addFloats("exp_avg." + e.getKey(), model.toUpstream(e.getKey(), adam.firstMoments().get(e.getKey())), DType.F32, e.getValue());
            w.addFloats("exp_avg_sq." + e.getKey(), model.toUpstream(e.getKey(), adam.secondMoments().get(e.getKey())), DType.F32, e.getValue());
        }
        w.write(dir.resolve(OPTIMIZER_FILE));
    }

    /** The newest {@code step_*} directory under a run directory, or the directory itself if it is a checkpoint. */
    public static Path resolve(Path dirOrRun) throws IOException {
        if (Files.isRegularFile(dirOrRun.resolve(OPTIMIZER_FILE))) {
            return dirOrRun;
        }
        if (!Files.isDirectory(dirOrRun)) {
            throw new IOException(dirOrRun + ": no such checkpoint directory");
        }
        try (Stream<Path> s = Files.list(dirOrRun)) {
            List<Path> steps = s.filter(p -> p.getFileName().toString().startsWith("step_")
                    && Files.isRegularFile(p.resolve(OPTIMIZER_FILE))).sorted().toList();
            if (steps.isEmpty()) {
                throw new IOException(dirOrRun + ": holds no checkpoint (step_*/" + OPTIMIZER_FILE + ")");
            }
            return steps.get(steps.size() - 1);
        }
    }

    /** Every {@code step_*} directory under a run's checkpoint directory, oldest first; none if it is absent. */
    public static List<Path> all(Path root) throws IOException {
        return EarlierRun.named(root, "step_", "");
    }

    /**
     * Removes the checkpoints under {@code root}: their files and temporary files, then each directory unless
     * something else was put in it.
     */
    public static void removeAll(Path root) throws IOException {
        for (Path dir : all(root)) {
            Files.deleteIfExists(dir.resolve(MODEL_FILE));
            Files.deleteIfExists(dir.resolve(OPTIMIZER_FILE));
            try (Stream<Path> s = Files.list(dir)) {
                for (Path tmp : s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList()) {
                    Files.deleteIfExists(tmp);
                }
            }
            try {
                Files.deleteIfExists(dir);
            } catch (DirectoryNotEmptyException e) {
                // not ours to remove; holding no optimizer state, it is never taken for a checkpoint
            }
        }
    }

    /** The checkpoint's weights, with the config stored in them. */
    public static ModelWeights weights(Path dir, Consumer<String> warn) throws IOException {
        Path f = dir.resolve(MODEL_FILE);
        ModelConfig c = ModelWeights.storedConfig(f, warn);
        if (c == null) {
            throw new IOException(f + ": no model config in the metadata (not written by this trainer)");
        }
        return ModelWeights.load(f, c, warn);
    }

    /** Loads the optimizer state into {@code adam}; returns the data position (rows drawn). */
    public static long restore(Path dir, TrainableModel model, AdamW adam) throws IOException {
        Path f = dir.resolve(OPTIMIZER_FILE);
        try (SafeTensorsFile st = SafeTensorsFile.open(f)) {
            Map<String, INDArray> first = new LinkedHashMap<>();
            Map<String, INDArray> second = new LinkedHashMap<>();
            for (String name : WeightNames.expected(model.config()).keySet()) {
                first.put(name, model.fromUpstream(name, read(st, "exp_avg." + name)));
                second.put(name, model.fromUpstream(name, read(st, "exp_avg_sq." + name)));
            }
            adam.restore(metaLong(st, f, STEP), first, second);
            return metaLong(st, f, ROWS);
        }
    }

    private static float[] read(SafeTensorsFile st, String name) throws SafeTensorsException {
        if (!st.contains(name)) {
            throw new SafeTensorsException(st.path(), name, "missing from the optimizer state");
        }
        return st.readFloats(name);
    }

    private static long metaLong(SafeTensorsFile st, Path f, String key) throws IOException {
        String v = st.metadata().get(key);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException | NullPointerException e) {
            throw new IOException(f + ": metadata '" + key + "' missing or not an integer");
        }
    }
}
