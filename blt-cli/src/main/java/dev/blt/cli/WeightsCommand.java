package dev.blt.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import dev.blt.data.tensors.DType;
import dev.blt.data.tensors.TensorFileException;
import dev.blt.data.tensors.TensorInfo;
import dev.blt.data.tensors.TensorSource;
import dev.blt.model.ModelConfig;
import dev.blt.model.ModelWeights;
import dev.blt.model.WeightsLocator;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@code ./blt weights inspect PATH}: what a weights file or folder holds, and whether it fits its config. */
@Parameters(commandDescription = "inspect PATH: format, dtypes, tensor names and shapes, parameter count, config, "
        + "whether the tensors fit the config and whether all their values are finite; exits with 2 when they do "
        + "not fit or hold a NaN or an infinity (weights every other command would refuse)")
public final class WeightsCommand implements Command, HelpOption {
    @Parameter(names = {"-h", "--help"}, help = true, description = "Show this help")
    private boolean help;

    @Parameter(description = "inspect PATH (" + ModelOptions.WEIGHTS_FORMATS + ")")
    private List<String> words;

    @Parameter(names = "--model-config", description = "Model arguments JSON to check the tensors against, instead of "
            + "the one in the folder or the file's metadata")
    private Path modelConfig;

    @Override
    public String name() {
        return "weights";
    }

    @Override
    public boolean help() {
        return help;
    }

    @Override
    public int run() throws IOException {
        if (words == null || words.size() != 2 || !words.get(0).equals("inspect")) {
            throw new UserError("expected 'weights inspect PATH'");
        }
        WeightsLocator.Location where = WeightsLocator.locate(Path.of(words.get(1)), modelConfig);
        ModelConfig config = ModelWeights.config(where, Main::warn);
        StringBuilder b = new StringBuilder();
        boolean usable = true;
        try (TensorSource st = ModelWeights.openTensors(where.weights())) {
            long parameters = 0;
            Map<DType, Integer> dtypes = new TreeMap<>();
            for (TensorInfo t : st.tensors().values()) {
                parameters += t.dtype().isFloating() ? t.numel() : 0;
                dtypes.merge(t.dtype(), 1, Integer::sum);
            }
            b.append("file: ").append(where.weights()).append('\n');
            b.append("layout: ").append(where.layout().description()).append('\n');
            b.append("format: ").append(st.format()).append('\n');
            b.append("tensors: ").append(st.tensors().size()).append(", dtypes ").append(dtypes).append('\n');
            b.append("parameters: ").append(parameters).append('\n');
            st.metadata().forEach((k, v) -> {
                if (!k.equals(ModelWeights.CONFIG_METADATA_KEY)) {
                    b.append("metadata ").append(k).append(": ").append(v).append('\n');
                }
            });
            b.append("config: ").append(config == null ? "none (pass --model-config)"
                    : config.toJson() + (where.config() != null ? " (from " + where.config() + ")" : " (from metadata)"))
                    .append('\n');
            if (config != null) {
                String fits = fits(st, config);
                b.append("fits config: ").append(fits).append('\n');
                String finite = fits.startsWith("yes") ? finite(st, config) : "not checked (the tensors do not fit)";
                b.append("finite: ").append(finite).append('\n');
                usable = fits.startsWith("yes") && finite.equals("yes");
            }
            for (TensorInfo t : st.tensors().values()) {
                b.append("  ").append(t.name()).append(' ').append(t.dtype()).append(' ').append(t.shapeString())
                        .append('\n');
            }
        }
        System.out.print(b);
        return usable ? 0 : Main.EXIT_USAGE;
    }

    /** Reads every value, as loading does: the header alone cannot tell NaN weights from good ones. */
    private static String finite(TensorSource st, ModelConfig config) {
        try {
            ModelWeights.readFinite(st, config);
            return "yes";
        } catch (TensorFileException e) {
            return "no: " + e.getMessage();
        }
    }

    private static String fits(TensorSource st, ModelConfig config) {
        try {
            List<String> ignored = ModelWeights.validate(st, config);
            return "yes" + (ignored.isEmpty() ? "" : " (" + ignored.size() + " tensors outside the model ignored)");
        } catch (TensorFileException e) {
            return "no: " + e.getMessage();
        }
    }
}
