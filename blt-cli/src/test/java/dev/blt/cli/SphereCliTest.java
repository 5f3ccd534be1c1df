package dev.blt.cli;

import dev.blt.data.format.IngestFormat;
import dev.blt.data.tensors.SafeTensorsWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ./blt waterfill and ./blt sphere inspect, through Main as the launcher calls them. */
class SphereCliTest {

    private static Path ingest(Path dir, String name, int n) throws IOException {
        SplittableRandom rng = new SplittableRandom(n);
        int dim = 8;
        float[] e = new float[n * dim];
        float[] p = new float[n];
        for (int i = 0; i < n; i++) {
            double ss = 0;
            for (int d = 0; d < dim; d++) {
                e[i * dim + d] = (float) (rng.nextGaussian() * (1 + i % 7));
                ss += e[i * dim + d] * (double) e[i * dim + d];
            }
            p[i] = (float) Math.sqrt(ss);
        }
        Path f = dir.resolve(IngestFormat.tensorsFile(name));
        new SafeTensorsWriter().addFloats(IngestFormat.EMBEDDINGS, e, 1, n, dim)
                .addFloats(IngestFormat.PROMINENCE, p, 1, n).write(f);
        return f;
    }

    @Test
    void waterfillThenInspectWithPlot(@TempDir Path dir) throws IOException {
        Path in = ingest(dir, "doc", 2000);
        Path out = dir.resolve("out");
        CliRun wf = CliRun.of("waterfill", "--input", in.toString(), "--output", out.toString(), "--target-shells", "32");
        assertEquals(0, wf.exitCode(), wf.err());
        assertTrue(wf.out().contains("1 files: 1 written, 0 skipped (all padding), 0 failed"), wf.out());
        Path npz = out.resolve("sphere_doc.npz");
        Path png = dir.resolve("plots/sphere.png");
        CliRun inspect = CliRun.of("sphere", "inspect", npz.toString(), "--plot", png.toString());
        assertEquals(0, inspect.exitCode(), inspect.err());
        assertTrue(inspect.out().contains("shells: 32 distinct of 32"), inspect.out());
        assertTrue(inspect.out().contains("occupancy vs capacity: 0 shells over, 0 under"), inspect.out());
        assertTrue(inspect.out().contains("spearman=1.0000"), inspect.out());
        assertTrue(inspect.out().contains("plot: " + png), inspect.out());
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(1800, img.getWidth());
        assertEquals(576, img.getHeight());
        String keep = System.getProperty("blt.keepPlot");
        if (keep != null) {
            Files.copy(png, Path.of(keep), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Set<Integer> colours = new HashSet<>();
        for (int x = 0; x < img.getWidth(); x += 7) {
            for (int y = 0; y < img.getHeight(); y += 7) {
                colours.add(img.getRGB(x, y));
            }
        }
        assertTrue(colours.size() > 10, "the charts were drawn");

        // several inputs: one PNG each, the input's stem after the given name
        Path copy = Files.copy(npz, out.resolve("other.npz"));
        CliRun two = CliRun.of("sphere", "inspect", npz.toString(), copy.toString(), "--plot", png.toString());
        assertEquals(0, two.exitCode(), two.err());
        for (String name : new String[]{"sphere-sphere_doc.png", "sphere-other.png"}) {
            BufferedImage each = ImageIO.read(dir.resolve("plots").resolve(name).toFile());
            assertEquals(576, each.getHeight(), name);
        }
    }

    @Test
    void optionsOverrideTheConfigAndBadOnesFailCleanly(@TempDir Path dir) throws IOException {
        Path cfg = dir.resolve("c.yaml");
        Files.writeString(cfg, "algorithm: langevin\ntarget_shells: 16\n");
        CliRun print = CliRun.of("waterfill", "--config", cfg.toString(), "--target-shells", "64", "--print-config");
        assertEquals(0, print.exitCode(), print.err());
        assertTrue(print.out().contains("algorithm: \"langevin\"") && print.out().contains("target_shells: 64"), print.out());

        CliRun badAlgorithm = CliRun.of("waterfill", "--input", "x", "--output", "y", "--algorithm", "thrml");
        assertEquals(2, badAlgorithm.exitCode());
        assertTrue(badAlgorithm.err().contains("--algorithm 'thrml' is not one of exact|"), badAlgorithm.err());
        CliRun badRange = CliRun.of("waterfill", "--print-config", "--min-radius", "900");
        assertEquals(2, badRange.exitCode());
        assertTrue(badRange.err().contains("max_radius must be"), badRange.err());
        CliRun missing = CliRun.of("waterfill", "--input", dir.resolve("nope").toString(), "--output", dir.toString());
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains("nope: no such file or directory"), missing.err());
    }

    @Test
    void aFailingInputGivesExitOneAndTheOthersAreWritten(@TempDir Path dir) throws IOException {
        Path in = Files.createDirectory(dir.resolve("in"));
        ingest(in, "good", 100);
        Files.writeString(in.resolve("bad.safetensors"), "not a tensor file");
        CliRun r = CliRun.of("waterfill", "--input", in.toString(), "--output", dir.resolve("out").toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.out().contains("2 files: 1 written, 0 skipped (all padding), 1 failed"), r.out());
        assertTrue(r.err().contains("failed: " + in.resolve("bad.safetensors")), r.err());
        assertTrue(Files.exists(dir.resolve("out/sphere_good.npz")));
    }

    @Test
    void anEarlierRunIsRefusedWithTheWayOutAndOverwriteReplacesIt(@TempDir Path dir) throws IOException {
        Path in = Files.createDirectory(dir.resolve("in"));
        ingest(in, "a", 100);
        ingest(in, "b", 100);
        Path out = dir.resolve("out");
        assertEquals(0, CliRun.of("waterfill", "--input", in.toString(), "--output", out.toString()).exitCode());
        CliRun again = CliRun.of("waterfill", "--input", in.toString(), "--output", out.toString());
        CliRun.assertOneLineError(again, out.toString(), "sphere_a.npz", "--overwrite", "choose another --output");

        Files.delete(in.resolve("a.safetensors"));
        CliRun replaced = CliRun.of("waterfill", "--input", in.toString(), "--output", out.toString(), "--overwrite");
        assertEquals(0, replaced.exitCode(), replaced.err());
        assertFalse(Files.exists(out.resolve("sphere_a.npz")), "the earlier run's file of a gone input is gone");
        assertTrue(Files.exists(out.resolve("sphere_b.npz")));

        CliRun ownInputs = CliRun.of("waterfill", "--input", in.toString(), "--output", in.toString());
        CliRun.assertOneLineError(ownInputs, "holds the input b.safetensors", "choose another --output");
    }

    @Test
    void nothingIsCreatedBeforeInputsAndOutputAreChecked(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("out");
        CliRun missing = CliRun.of("waterfill", "--input", dir.resolve("nope.npz").toString(), "--output",
                out.toString());
        CliRun.assertOneLineError(missing, "nope.npz", "no such file");
        assertFalse(Files.exists(out), "no output folder for a run that cannot start");

        Path in = ingest(dir, "doc", 50);
        Path file = Files.writeString(dir.resolve("out.txt"), "not a folder");
        CliRun notDir = CliRun.of("waterfill", "--input", in.toString(), "--output", file.toString());
        CliRun.assertOneLineError(notDir, "out.txt", "not a directory");
    }

    @Test
    void inspectProblemsAreOneLine(@TempDir Path dir) {
        CliRun missing = CliRun.of("sphere", "inspect", dir.resolve("none.npz").toString());
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().startsWith("blt sphere: " + dir.resolve("none.npz") + ": file not found"), missing.err());
        CliRun noVerb = CliRun.of("sphere", "look");
        assertEquals(2, noVerb.exitCode());
        assertTrue(noVerb.err().contains("expected 'sphere inspect FILE...'"));
    }
}
