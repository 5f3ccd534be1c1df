package dev.blt.waterfill.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and writes {@link WaterFillConfig} as YAML or JSON (snake_case keys). A file only needs the keys it changes:
 * it is merged over {@link WaterFillConfig#defaults()}; unknown keys are errors, so typos do not pass silently.
 */
public final class ConfigFiles {
    private static final ObjectMapper YAML = configure(new ObjectMapper(new YAMLFactory()));
    private static final ObjectMapper JSON = configure(new ObjectMapper());

    private ConfigFiles() {
    }

    private static ObjectMapper configure(ObjectMapper m) {
        return m.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    }

    /** The config file (or the defaults) with {@code overrides} laid over it; a bad override reads "options: ...". */
    public static WaterFillConfig configFrom(String configFile, Map<String, Object> overrides) throws IOException {
        WaterFillConfig base = configFile == null ? WaterFillConfig.defaults() : ConfigFiles.load(Path.of(configFile));
        try {
            return overrides.isEmpty() ? base : ConfigFiles.override(base, overrides);
        } catch (IOException e) {
            throw new IOException("options: " + e.getMessage(), e);
        }
    }

    /** {@code --algorithm} and {@code --level} as config overrides, checked; a bad value names its option. */
    public static Map<String, Object> choices(String algorithm, String level) {
        Map<String, Object> o = new LinkedHashMap<>();
        try {
            if (algorithm != null) {
                o.put("algorithm", Algorithm.parse(algorithm).id());
            }
            if (level != null) {
                o.put("level", Choice.parse(InputLevel.class, level).id());
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException((algorithm != null && e.getMessage().contains(algorithm)
                    ? "--algorithm " : "--level ") + e.getMessage(), e);
        }
        return o;
    }

    /** Loads a .yaml/.yml or .json file; the message of any failure names the file. */
    public static WaterFillConfig load(Path file) throws IOException {
        ObjectMapper mapper = file.getFileName().toString().endsWith(".json") ? JSON : YAML;
        JsonNode user;
        try {
            user = mapper.readTree(file.toFile());
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new IOException(file + ": config file not found");
        } catch (JsonProcessingException e) {
            throw new IOException(file + ": not valid " + (mapper == JSON ? "JSON" : "YAML") + ": " + e.getOriginalMessage());
        }
        try {
            return fromTree(user);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage());
        }
    }

    /** Parses YAML (a superset of JSON) text merged over the defaults. */
    public static WaterFillConfig parse(String yaml) throws IOException {
        try {
            return fromTree(YAML.readTree(yaml));
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /**
     * The config with some top-level keys replaced (command-line options), validated like a file;
     * e.g. {@code Map.of("target_shells", 64)}.
     */
    public static WaterFillConfig override(WaterFillConfig base, Map<String, Object> values) throws IOException {
        ObjectNode tree = JSON.valueToTree(base);
        ObjectNode changes = JSON.valueToTree(values);
        try {
            return fromTree(tree, changes);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static WaterFillConfig fromTree(JsonNode user) {
        return fromTree(JSON.valueToTree(WaterFillConfig.defaults()), user);
    }

    private static WaterFillConfig fromTree(ObjectNode merged, JsonNode user) {
        if (user != null && !user.isMissingNode() && !user.isNull()) {
            if (!user.isObject()) {
                throw new IllegalArgumentException("the config must be a mapping of keys to values");
            }
            merge(merged, (ObjectNode) user, "");
        }
        try {
            return JSON.treeToValue(merged, WaterFillConfig.class);
        } catch (JsonProcessingException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw new IllegalArgumentException(root instanceof IllegalArgumentException
                    ? root.getMessage() : e.getOriginalMessage());
        }
    }

    private static void merge(ObjectNode into, ObjectNode from, String prefix) {
        for (Iterator<Map.Entry<String, JsonNode>> it = from.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode existing = into.get(e.getKey());
            if (existing == null) {
                throw new IllegalArgumentException("unknown key '" + prefix + e.getKey() + "'");
            }
            if (existing.isObject() && e.getValue().isObject()) {
                merge((ObjectNode) existing, (ObjectNode) e.getValue(), prefix + e.getKey() + ".");
            } else {
                into.set(e.getKey(), e.getValue());
            }
        }
    }

    /** The config as one line of JSON, stored in every output file. */
    public static String toJson(WaterFillConfig config) {
        try {
            return JSON.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("config is always serializable", e);
        }
    }

    /** The config as YAML, for {@code --print-config}. */
    public static String toYaml(WaterFillConfig config) {
        try {
            return YAML.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("config is always serializable", e);
        }
    }
}
