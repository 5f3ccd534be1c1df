package dev.blt.waterfill.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blt.waterfill.config.ConfigFiles;
import dev.blt.waterfill.config.WaterFillConfig;
import dev.blt.waterfill.core.PointSet;
import dev.blt.waterfill.core.SphereResult;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes one result as {@code .npz}: {@code sphere_coords} [N, D] f32, {@code radii} [N] f32, {@code shells} [N] i32,
 * {@code original_prominence} [N] f32, {@code original_entropies} [N] f32 (if the input had them), {@code theta},
 * {@code phi} [N] f32, {@code cartesian} [N, 3] f32, {@code shell_capacity} [S] f64 (algorithms with capacities),
 * and two 0-d strings: {@code config} (the run's config as JSON) and {@code info} (diagnostics as JSON).
 */
public final class ResultWriter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ResultWriter() {
    }

    public static void write(SphereResult r, WaterFillConfig config, Path target) throws IOException {
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
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("numbers always serialize", e);
        }
        npz.write(target);
    }
}
