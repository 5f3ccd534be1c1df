package dev.blt.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blt.data.tensors.SafeTensorsFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** The upstream golden vectors in fixtures/upstream (see its README). */
public final class Fixtures {
    private Fixtures() {
    }

    public static Path dir() {
        Path p = Path.of(System.getProperty("blt.fixtures", "../fixtures/upstream"));
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException("fixture directory not found: " + p.toAbsolutePath()
                    + " (set -Dblt.fixtures)");
        }
        return p;
    }

    public static Path file(String name) {
        return dir().resolve(name);
    }

    public static JsonNode json(String name) {
        try {
            return new ObjectMapper().readTree(file(name).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ModelConfig config(String configName) {
        return ModelConfig.fromJson(json("entropy_" + configName + ".json").get("lm_transformer_args"),
                "entropy_" + configName + ".json", w -> { });
    }

    public static ModelWeights weights(String configName) {
        try {
            return ModelWeights.load(file("entropy_" + configName + ".safetensors"), config(configName), w -> { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<String> sequences(String configName) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = json("entropy_" + configName + ".json").get("sequences").fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    public static SafeTensorsFile tensors(String fileName) {
        try {
            return SafeTensorsFile.open(file(fileName));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static int[] ints(long[] values) {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Math.toIntExact(values[i]);
        }
        return out;
    }

    public static float maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("length " + a.length + " != " + b.length);
        }
        float m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
