package dev.blt.waterfill;

import dev.blt.waterfill.algorithms.EnergyLookupFiller;
import dev.blt.waterfill.algorithms.EntropyWeightedFiller;
import dev.blt.waterfill.algorithms.ExactCapacityFiller;
import dev.blt.waterfill.algorithms.LateralFiller;
import dev.blt.waterfill.algorithms.OsmoticV1Filler;
import dev.blt.waterfill.algorithms.OsmoticV2Filler;
import dev.blt.waterfill.config.WaterFillConfig;
import dev.blt.waterfill.core.Placement;
import dev.blt.waterfill.core.PointSet;
import dev.blt.waterfill.core.SphereCoordinates;
import dev.blt.waterfill.core.SphereResult;
import dev.blt.waterfill.core.WaterFiller;
import dev.blt.waterfill.io.InputFiles;
import dev.blt.waterfill.io.PointReader;
import dev.blt.waterfill.io.ResultWriter;
import dev.blt.waterfill.langevin.LangevinFiller;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The module's entry points: place one point set in memory ({@link #place}), or run a batch of files to
 * {@code .npz} outputs ({@link #run}) — the latter is what {@code ./blt waterfill} and an in-process pipeline call.
 */
public final class WaterFill {
    private WaterFill() {
    }

    /** What happened to one input file. */
    public enum Status { WRITTEN, SKIPPED_EMPTY, FAILED }

    /**
     * @param output  the written file, or null
     * @param points  points placed (after dropping padding rows)
     * @param message failure reason, or null
     */
    public record FileOutcome(Path input, Path output, Status status, int points, String message) {
    }

    public static WaterFiller filler(WaterFillConfig config) {
        return switch (config.algorithm()) {
            case EXACT -> new ExactCapacityFiller(config);
            case OSMOTIC_V1 -> new OsmoticV1Filler(config);
            case OSMOTIC_V2 -> new OsmoticV2Filler(config);
            case ENERGY_LOOKUP -> new EnergyLookupFiller(config);
            case ENTROPY_WEIGHTED -> new EntropyWeightedFiller(config);
            case LATERAL -> new LateralFiller(config);
            case LANGEVIN -> new LangevinFiller(config);
        };
    }

    /** Places the points and derives their coordinates; {@code points} is left unchanged. */
    public static SphereResult place(WaterFillConfig config, PointSet points) {
        Placement placement = filler(config).place(points);
        return new SphereResult(points, placement, SphereCoordinates.compute(points, placement, config.seed(), false));
    }

    /**
     * Processes every input (files, or directories of .safetensors/.npz) independently into
     * {@code outDir/sphere_<stem>.npz}. A file whose rows are all padding produces no output; a file that fails is
     * reported and the batch goes on. Progress lines go to {@code log}.
     */
    public static List<FileOutcome> run(WaterFillConfig config, List<Path> inputs, Path outDir, Consumer<String> log)
            throws IOException {
        List<FileOutcome> outcomes = new ArrayList<>();
        for (Path file : InputFiles.expand(inputs)) {
            outcomes.add(runOne(config, file, outDir, log));
        }
        return outcomes;
    }

    private static FileOutcome runOne(WaterFillConfig config, Path file, Path outDir, Consumer<String> log) {
        try {
            PointSet points = PointReader.read(file, config.level());
            if (points.n() == 0) {
                log.accept(file + ": every row is padding (prominence <= 1e-6); no output");
                return new FileOutcome(file, null, Status.SKIPPED_EMPTY, 0, null);
            }
            long start = System.nanoTime();
            Placement placement = filler(config).place(points);
            // the embeddings are not needed after this, so the D-dimensional coordinates overwrite them (saves N·D floats)
            SphereCoordinates coords = SphereCoordinates.compute(points, placement, config.seed(), true);
            Path out = outDir.resolve(InputFiles.outputName(file));
            ResultWriter.write(new SphereResult(points, placement, coords), config, out);
            log.accept(String.format("%s: %d points -> %s (%s, %.1f ms)", file, points.n(), out,
                    config.algorithm().id(), (System.nanoTime() - start) / 1e6));
            return new FileOutcome(file, out, Status.WRITTEN, points.n(), null);
        } catch (IOException | IllegalArgumentException e) {
            // zip and JDK errors do not always say which file they are about
            String message = String.valueOf(e.getMessage());
            if (!message.contains(file.toString())) {
                message = file + ": " + message;
            }
            log.accept("failed: " + message);
            return new FileOutcome(file, null, Status.FAILED, 0, message);
        }
    }
}
