package dev.blt.waterfill;

import dev.blt.data.io.EarlierRun;
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
import java.nio.file.Files;
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

    /** The sphere files an earlier run left in {@code outDir}. */
    public static List<Path> earlierOutputs(Path outDir) throws IOException {
        return EarlierRun.named(outDir, "sphere_", ".npz");
    }

    /**
     * Checks {@code outDir} before anything is written: not a file, holding none of the {@code inputFiles} (a re-run
     * would read its own outputs, and {@code --overwrite} remove them), and without an earlier run's sphere files
     * unless {@code overwrite}.
     *
     * @param run       what an earlier run there is called in the refusal ("waterfill run")
     * @param resume    how to finish it, or null
     * @param elsewhere the other way out
     */
    public static void checkOutput(Path outDir, boolean overwrite, List<Path> inputFiles, String option, String run,
                                   String resume, String elsewhere) throws IOException {
        EarlierRun.requireFolder(outDir, option);
        Path dir = outDir.toAbsolutePath().normalize();
        for (Path f : inputFiles) {
            if (dir.equals(f.toAbsolutePath().normalize().getParent())) {
                throw new IOException(outDir + ": holds the input " + f.getFileName() + " (a re-run would read its "
                        + "own outputs); choose another " + option);
            }
        }
        List<Path> earlier = earlierOutputs(outDir);
        if (!earlier.isEmpty() && !overwrite) {
            throw EarlierRun.refusal(outDir, run, earlier.get(0), resume, elsewhere);
        }
    }

    /** Removes an earlier run's sphere files, so that none survives beside the new ones. */
    public static void removeEarlierOutputs(Path outDir) throws IOException {
        for (Path f : earlierOutputs(outDir)) {
            Files.deleteIfExists(f);
        }
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
            ResultWriter.write(new SphereResult(points, placement, coords), config, PointReader.provenance(file), out);
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
