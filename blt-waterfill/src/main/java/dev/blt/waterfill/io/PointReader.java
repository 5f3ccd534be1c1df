package dev.blt.waterfill.io;

import dev.blt.data.format.IngestFormat;
import dev.blt.data.tensors.SafeTensorsFile;
import dev.blt.data.tensors.TensorInfo;
import dev.blt.waterfill.config.InputLevel;
import dev.blt.waterfill.core.PointSet;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Loads the points of one input file: an ingest {@code .safetensors} (token or patch level) or an {@code .npz} with the
 * same array names. Embeddings [..., D] are flattened to [N, D] (e.g. [1, T, D]), prominence and entropies to [N];
 * then rows with prominence ≤ {@value #MIN_PROMINENCE} (padding) are dropped from every array alike.
 */
public final class PointReader {
    public static final float MIN_PROMINENCE = 1e-6f;

    private PointReader() {
    }

    /** The raw arrays of a file, before the row filter. */
    record Arrays3(long[] embeddingShape, float[] embeddings, float[] prominence, float[] entropies) {
    }

    public static PointSet read(Path file, InputLevel level) throws IOException {
        String name = file.getFileName().toString();
        Arrays3 raw;
        if (name.endsWith(IngestFormat.TENSORS_SUFFIX)) {
            raw = fromSafetensors(file, level);
        } else if (name.endsWith(".npz")) {
            raw = fromNpz(file, level);
        } else {
            throw new IOException(file + ": unsupported file type (expected .safetensors or .npz)");
        }
        return filter(file.toString(), raw, level);
    }

    /**
     * The record of how an ingest file's numbers were made ({@link IngestFormat#PROVENANCE}), to be carried into what
     * is computed from them; empty for other inputs.
     */
    public static Map<String, String> provenance(Path file) throws IOException {
        if (!file.getFileName().toString().endsWith(IngestFormat.TENSORS_SUFFIX)) {
            return Map.of();
        }
        try (SafeTensorsFile st = SafeTensorsFile.open(file)) {
            return IngestFormat.provenance(st.metadata());
        }
    }

    /** Points from arrays already in memory (e.g. a Parquet row), with the checks and the padding filter of a file. */
    public static PointSet of(String source, InputLevel level, long[] embeddingShape, float[] embeddings,
                              float[] prominence, float[] entropies) throws IOException {
        return filter(source, new Arrays3(embeddingShape, embeddings, prominence, entropies), level);
    }

    private static Arrays3 fromSafetensors(Path file, InputLevel level) throws IOException {
        try (SafeTensorsFile st = SafeTensorsFile.open(file)) {
            requirePresent(file, level, st.contains(level.embeddingsKey()), st.contains(level.prominenceKey()));
            TensorInfo info = st.info(level.embeddingsKey());
            return new Arrays3(info.shape(), st.readFloats(level.embeddingsKey()), st.readFloats(level.prominenceKey()),
                    st.contains(level.entropiesKey()) ? st.readFloats(level.entropiesKey()) : null);
        }
    }

    private static Arrays3 fromNpz(Path file, InputLevel level) throws IOException {
        try (NpzReader npz = NpzReader.open(file)) {
            requirePresent(file, level, npz.contains(level.embeddingsKey()), npz.contains(level.prominenceKey()));
            long[] shape = npz.header(level.embeddingsKey()).shape();
            return new Arrays3(shape, npz.readFloats(level.embeddingsKey()), npz.readFloats(level.prominenceKey()),
                    npz.contains(level.entropiesKey()) ? npz.readFloats(level.entropiesKey()) : null);
        }
    }

    private static void requirePresent(Path file, InputLevel level, boolean embeddings, boolean prominence)
            throws IOException {
        if (!embeddings || !prominence) {
            String other = level == InputLevel.TOKEN ? "patch" : "token";
            throw new IOException(file + ": no '" + (embeddings ? level.prominenceKey() : level.embeddingsKey())
                    + "' array for " + level.id() + "-level input (try --level " + other + ")");
        }
    }

    static PointSet filter(String source, Arrays3 raw, InputLevel level) throws IOException {
        long[] shape = raw.embeddingShape();
        if (shape.length < 2 || shape[shape.length - 1] < 1) {
            throw new IOException(source + ": '" + level.embeddingsKey() + "' has shape " + Arrays.toString(shape)
                    + ", expected [..., N, D] with D >= 1");
        }
        int dim = (int) shape[shape.length - 1];
        int n = raw.embeddings().length / dim;
        if (raw.prominence().length != n) {
            throw new IOException(source + ": '" + level.prominenceKey() + "' has " + raw.prominence().length
                    + " values but '" + level.embeddingsKey() + "' has " + n + " rows");
        }
        if (raw.entropies() != null && raw.entropies().length != n) {
            throw new IOException(source + ": '" + level.entropiesKey() + "' has " + raw.entropies().length
                    + " values but '" + level.embeddingsKey() + "' has " + n + " rows");
        }
        float[] p = raw.prominence();
        int kept = 0;
        for (float v : p) {
            if (v > MIN_PROMINENCE) {
                kept++;
            }
        }
        if (kept == n) {
            return new PointSet(source, n, dim, raw.embeddings(), p, raw.entropies());
        }
        float[] e = raw.embeddings();
        float[] h = raw.entropies();
        float[] ke = new float[kept * dim];
        float[] kp = new float[kept];
        float[] kh = h == null ? null : new float[kept];
        int j = 0;
        for (int i = 0; i < n; i++) {
            if (p[i] > MIN_PROMINENCE) {
                System.arraycopy(e, i * dim, ke, j * dim, dim);
                kp[j] = p[i];
                if (h != null) {
                    kh[j] = h[i];
                }
                j++;
            }
        }
        return new PointSet(source, kept, dim, ke, kp, kh);
    }
}
