package dev.blt.waterfill.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.blt.waterfill.config.ConfigFiles;
import dev.blt.waterfill.config.WaterFillConfig;
import dev.blt.waterfill.core.PointSet;
import dev.blt.waterfill.core.SphereResult;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes one result as {@code .npz}: {@code sphere_coords} [N, D] f32, {@code radii} [N] f32, {@code shells} [N] i32,
 * {@code original_prominence} [N] f32, {@code original_entropies} [N] f32 (if the input had them), {@code theta},
 * {@code phi} [N] f32, {@code cartesian} [N, 3] f32, {@code shell_capacity} [S] f64 (algorithms with capacities),
 * two 0-d strings: {@code config} (the run's config as JSON) and {@code info} (diagnostics as JSON), and, for an
 * ingest input, a third: {@code provenance} (model sha256 and config, patching, tool version and ingest format as
 * JSON), so that a sphere can be traced to the model that made its embeddings.
 */
public final class ResultWriter {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The 0-d string entry naming what made the input. */
    public static final String PROVENANCE = "provenance";

    private ResultWriter() {
    }

    /**
     * The entries as one JSON object; those that are JSON objects themselves (model config, patching) are nested, so
     * that {@code json.loads} gives them back without a second decode.
     */
    static String provenanceJson(Map<String, String> provenance) throws JsonProcessingException {
        ObjectNode o = JSON.createObjectNode();
        for (Map.Entry<String, String> e : provenance.entrySet()) {
            JsonNode value = TextNode.valueOf(e.getValue());
            if (e.getValue().startsWith("{")) {
                try {
                    JsonNode parsed = JSON.readTree(e.getValue());
                    value = parsed.isObject() ? parsed : value;
                } catch (JsonProcessingException notJson) {
                    // kept as the text it is
                }
            }
            o.set(e.getKey(), value);
        }
        return JSON.writeValueAsString(o);
    }

    public static void write(SphereResult r, WaterFillConfig config, Path target) throws IOException {
        write(r, config, Map.of(), target);
    }

    /** @param provenance the input's {@link PointReader#provenance}; nothing is written for an empty one */
    public static void write(SphereResult r, WaterFillConfig config, Map<String, String> provenance, Path target)
            throws IOException {
        PointSet p = r.points();
        int n = p.n();
        NpzWriter npz = new NpzWriter(config.compress())
                .addFloats("sphere_coords", r.coordinates().sphere(), n, p.dim())
                .addFloats("radii", r.placement().radii(), n)
                .addInts("shells", r.placement().shells(), n)
                .addFloats("original_prominence", p.prominence(), n);
        if (p.hasEntropies()) {
            npz.addFloats("original_entropies", p.entropies(), n);
        }
        npz.addFloats("theta", r.coordinates().theta(), n)
                .addFloats("phi", r.coordinates().phi(), n)
                .addFloats("cartesian", r.coordinates().cartesian(), n, 3);
        if (r.placement().capacities() != null) {
            npz.addDoubles("shell_capacity", r.placement().capacities(), r.placement().capacities().length);
        }
        npz.addString("config", ConfigFiles.toJson(config));
        try {
            npz.addString("info", JSON.writeValueAsString(r.placement().info()));
            if (!provenance.isEmpty()) {
                npz.addString(PROVENANCE, provenanceJson(provenance));
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("strings and numbers always serialize", e);
        }
        npz.write(target);
    }
}
