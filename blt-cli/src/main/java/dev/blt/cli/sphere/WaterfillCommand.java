package dev.blt.cli.sphere;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import com.beust.jcommander.ParametersDelegate;
import dev.blt.cli.Command;
import dev.blt.cli.HelpOption;
import dev.blt.cli.UserError;
import dev.blt.options.WaterFillParameters;
import dev.blt.waterfill.WaterFill;
import dev.blt.waterfill.bench.WaterFillBench;
import dev.blt.waterfill.config.ConfigFiles;
import dev.blt.waterfill.config.WaterFillConfig;
import dev.blt.waterfill.io.InputFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** {@code ./blt waterfill}: places ingest embeddings on hypersphere shells, one .npz per input file. */
@Parameters(commandDescription = "Place embeddings on hypersphere shells (water-filling): one sphere_<name>.npz per "
        + "input. Exit 1 if some inputs failed (the others are still written).")
public final class WaterfillCommand implements Command, HelpOption {
    @Parameter(names = {"-h", "--help"}, help = true, description = "Show this help")
    private boolean help;

    @Parameter(names = "--input", description = "An ingest .safetensors, an .npz (embeddings, prominence[, entropies]) "
            + "or a directory of them; repeatable")
    private List<String> inputs;

    @Parameter(names = "--output", description = "Output directory")
    private String output;

    @ParametersDelegate
    private final WaterFillParameters options = new WaterFillParameters();

    @Parameter(names = "--print-config", description = "Print the effective config as YAML and exit")
    private boolean printConfig;

    @Parameter(names = "--bench", description = "Measure points/s on synthetic data instead of reading inputs")
    private boolean bench;

    @Parameter(names = "--bench-points", description = "Benchmark: number of points")
    private int benchPoints = 1_000_000;

    @Parameter(names = "--bench-dim", description = "Benchmark: embedding dimension")
    private int benchDim = 768;

    @Parameter(names = "--bench-repeats", description = "Benchmark: timed rounds after one warm-up")
    private int benchRepeats = 3;

    @Override
    public String name() {
        return "waterfill";
    }

    @Override
    public boolean help() {
        return help;
    }

    @Override
    public int run() throws IOException {
        WaterFillConfig cfg = options.effectiveConfig();
        if (printConfig) {
            System.out.print(ConfigFiles.toYaml(cfg));
            return 0;
        }
        if (bench) {
            if (benchPoints < 1 || benchDim < 1 || benchRepeats < 1 || (long) benchPoints * benchDim > Integer.MAX_VALUE - 8) {
                throw new UserError("--bench-points × --bench-dim must be between 1 and 2^31 - 9, repeats >= 1");
            }
            WaterFillBench.run(cfg, benchPoints, benchDim, benchRepeats, System.out);
            return 0;
        }
        if (inputs == null || inputs.isEmpty() || output == null) {
            throw new UserError("--input and --output are required (or --bench, --print-config)");
        }
        // inputs and --output are checked before anything is written
        List<Path> files = InputFiles.expand(inputs.stream().map(Path::of).toList());
        if (files.isEmpty()) {
            throw new UserError(String.join(", ", inputs) + ": no .safetensors or .npz files");
        }
        Path out = Path.of(output);
        WaterFill.checkOutput(out, options.overwrite, files, "--output", "waterfill run", null,
                "choose another --output");
        WaterFill.removeEarlierOutputs(out);
        List<WaterFill.FileOutcome> outcomes = WaterFill.run(cfg, files, out, System.err::println);
        long written = count(outcomes, WaterFill.Status.WRITTEN);
        long skipped = count(outcomes, WaterFill.Status.SKIPPED_EMPTY);
        long failed = count(outcomes, WaterFill.Status.FAILED);
        System.out.printf("waterfill (%s): %d files: %d written, %d skipped (all padding), %d failed%n",
                cfg.algorithm().id(), outcomes.size(), written, skipped, failed);
        return failed > 0 ? 1 : 0;
    }

    private static long count(List<WaterFill.FileOutcome> outcomes, WaterFill.Status s) {
        return outcomes.stream().filter(o -> o.status() == s).count();
    }
}
