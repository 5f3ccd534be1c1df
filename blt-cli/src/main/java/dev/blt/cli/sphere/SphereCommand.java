package dev.blt.cli.sphere;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import dev.blt.cli.Command;
import dev.blt.cli.HelpOption;
import dev.blt.cli.UserError;
import dev.blt.waterfill.inspect.Inspection;
import dev.blt.waterfill.inspect.SphereInspector;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** {@code ./blt sphere inspect FILE... [--plot out.png]}: summarizes water-filling outputs and ingest files. */
@Parameters(commandDescription = "inspect FILE...: per-array shape, dtype, min, max, mean; for water-filling outputs "
        + "the shell histogram, occupancy vs capacity and radius/prominence correlation")
public final class SphereCommand implements Command, HelpOption {
    @Parameter(names = {"-h", "--help"}, help = true, description = "Show this help")
    private boolean help;

    @Parameter(description = "inspect FILE...")
    private List<String> words;

    @Parameter(names = "--plot", description = "Also draw, for water-filling outputs, a PNG headed by the input's "
            + "name: count - capacity per shell, a 2-D histogram of prominence against radius, and the 3-D points "
            + "on x-y coloured by radius. One input: written to exactly this file (folders are created). Several "
            + "inputs: one PNG each, this name with '-<input stem>' before the extension (--plot out/sphere.png "
            + "gives out/sphere-sphere_doc.png for sphere_doc.npz)")
    private String plot;

    @Override
    public String name() {
        return "sphere";
    }

    @Override
    public boolean help() {
        return help;
    }

    @Override
    public int run() throws IOException {
        if (words == null || words.isEmpty() || !words.get(0).equals("inspect")) {
            throw new UserError("expected 'sphere inspect FILE...'");
        }
        List<String> files = words.subList(1, words.size());
        if (files.isEmpty()) {
            throw new UserError("sphere inspect: no files given");
        }
        if (plot != null && files.size() > 1) {
            java.util.Set<Path> pngs = new java.util.HashSet<>();
            for (String f : files) {
                if (!pngs.add(perFile(Path.of(plot), Path.of(f)))) {
                    throw new UserError("--plot: two inputs named like " + f + " would write the same "
                            + perFile(Path.of(plot), Path.of(f)) + "; inspect them separately");
                }
            }
        }
        for (String f : files) {
            Path file = Path.of(f);
            Inspection in = SphereInspector.inspect(file);
            System.out.print(in.render());
            if (plot != null) {
                Path png = files.size() == 1 ? Path.of(plot) : perFile(Path.of(plot), file);
                if (in.radii() == null) {
                    System.out.println("  (no plot: not a water-filling output)");
                } else {
                    SpherePlot.write(in, png);
                    System.out.println("  plot: " + png);
                }
            }
        }
        return 0;
    }

    /** {@code out/sphere.png} and {@code a/sphere_doc.npz} give {@code out/sphere-sphere_doc.png}. */
    static Path perFile(Path plot, Path file) {
        String name = plot.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : ".png";
        String stem = file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        return plot.resolveSibling(base + "-" + stem + ext);
    }
}
