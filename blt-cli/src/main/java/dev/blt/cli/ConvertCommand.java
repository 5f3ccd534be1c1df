package dev.blt.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import dev.blt.data.tensors.DType;
import dev.blt.model.ModelWeights;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** {@code ./blt convert}: any weights format this project reads to its own safetensors, config in the metadata. */
@Parameters(commandDescription = "Convert weights (.pth, .mpk/.mpk.gz, .safetensors or a checkpoint folder) to "
        + ".safetensors with upstream names and the model config in its metadata")
public final class ConvertCommand implements Command, HelpOption {
    @Parameter(names = {"-h", "--help"}, help = true, description = "Show this help")
    private boolean help;

    @Parameter(names = "--in", required = true, description = ModelOptions.WEIGHTS_FORMATS)
    private Path in;

    @Parameter(names = "--model-config", description = "Model arguments JSON, when the input neither carries its "
            + "config nor sits in a folder with params.json / config.json")
    private Path modelConfig;

    @Parameter(names = "--out", required = true, description = "Output .safetensors (written atomically)")
    private Path out;

    @Parameter(names = "--dtype", description = "Stored element type: f32, bf16 or f16 (values are rounded to nearest "
            + "even; f32 keeps any input exactly)")
    private String dtype = "f32";

    @Override
    public String name() {
        return "convert";
    }

    @Override
    public boolean help() {
        return help;
    }

    @Override
    public int run() throws Exception {
        DType stored = switch (dtype.toLowerCase(Locale.ROOT)) {
            case "f32" -> DType.F32;
            case "bf16" -> DType.BF16;
            case "f16" -> DType.F16;
            default -> throw new UserError("--dtype must be f32, bf16 or f16, not '" + dtype + "'");
        };
        ModelWeights weights = ModelWeights.open(in, modelConfig, Main::warn);
        // a converted model keeps the threshold calibrated for it
        Map<String, String> metadata = new LinkedHashMap<>(ModelWeights.thresholdMetadata(in));
        metadata.put("blt.converted_from", in.getFileName().toString());
        weights.save(out, stored, metadata);
        System.out.println("wrote " + out + ": " + weights.asMap().size() + " tensors, "
                + weights.config().parameterCount() + " parameters, " + stored);
        return 0;
    }
}
