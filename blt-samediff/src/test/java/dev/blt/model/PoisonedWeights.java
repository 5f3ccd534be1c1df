package dev.blt.model;

import dev.blt.data.tensors.DType;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The base fixture's weights with some values of one tensor replaced by NaN or infinities. */
public final class PoisonedWeights {
    private PoisonedWeights() {
    }

    /** Writes them as safetensors with the config in the metadata, so that no --model-config is needed. */
    public static Path write(Path file, String tensor, int[] nanAt, int[] infAt) throws IOException {
        ModelWeights base = Fixtures.weights("base");
        Map<String, float[]> tensors = new LinkedHashMap<>(base.asMap());
        float[] t = tensors.get(tensor).clone();
        for (int i : nanAt) {
            t[i] = Float.NaN;
        }
        for (int i : infAt) {
            t[i] = i % 2 == 0 ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY;
        }
        tensors.put(tensor, t);
        ModelWeights.of(base.config(), tensors).save(file, DType.F32, Map.of());
        return file;
    }
}
