package dev.blt.cli.sphere;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import com.beust.jcommander.ParametersDelegate;
import dev.blt.cli.Command;
import dev.blt.cli.HelpOption;
import dev.blt.cli.IngestCommand;
import dev.blt.data.io.EarlierRun;
import dev.blt.ingest.IngestOptions;
import dev.blt.waterfill.WaterFill;
import dev.blt.waterfill.config.ConfigFiles;
import dev.blt.waterfill.config.WaterFillConfig;

import java.nio.file.Path;
import java.util.List;

/** {@code ./blt pipeline}: ingest, then water-filling of its outputs, in one JVM. */
@Parameters(commandDescription = "Ingest documents, then place their embeddings on hypersphere shells: "
        + "<output>/ingest holds the ingest outputs, <output>/sphere the .npz files")
public final class PipelineCommand implements Command, HelpOption {
    @ParametersDelegate
    private final IngestCommand ingest = new IngestCommand();

    @Parameter(names = "--sphere-config", description = "Water-filling config (see configs/waterfill.yaml)")
    private String sphereConfig;

    @Parameter(names = "--algorithm", description = "Water-filling algorithm (default: the config's, exact)")
    private String algorithm;

    @Parameter(names = "--level", description = "token|patch: which embeddings go on the sphere")
    private String level;

    @Override
    public String name() {
        return "pipeline";
    }

    @Override
    public boolean help() {
        return ingest.help();
    }

    @Override
    public int run() throws Exception {
        WaterFillConfig sphere = ConfigFiles.configFrom(sphereConfig, ConfigFiles.choices(algorithm, level));
        Path out = Path.of(ingest.output());
        IngestOptions options = ingest.options(out.resolve("ingest").toString());
        // the ingest checks its inputs and <output>/ingest before it creates anything; the sphere folder is checked
        // first, so that a run refused there has not ingested anything
        EarlierRun.requireFolder(out, "--output");
        Path sphereDir = out.resolve("sphere");
        WaterFill.checkOutput(sphereDir, options.resume() || options.overwrite(), List.of(), "--output",
                "pipeline run", "--resume", "choose another --output");
        int ingestCode = IngestCommand.run(options);
        // the sphere is made whole from <output>/ingest: none of an earlier or interrupted run's files may remain
        WaterFill.removeEarlierOutputs(sphereDir);
        List<WaterFill.FileOutcome> outcomes = WaterFill.run(sphere, List.of(out.resolve("ingest")), sphereDir,
                System.err::println);
        long failed = outcomes.stream().filter(o -> o.status() == WaterFill.Status.FAILED).count();
        System.out.printf("pipeline: %d sphere files in %s (%d failed)%n", outcomes.size() - failed, sphereDir, failed);
        return failed > 0 || ingestCode != 0 ? IngestCommand.EXIT_SOME_FAILED : 0;
    }
}
