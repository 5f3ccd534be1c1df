package dev.blt.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Resolves a {@code --weights} path to a tensor file and, when it can, the config file beside it. A file is used
 * as given; a folder is read in one of the layouts users download:
 * <ul>
 *   <li>upstream's ({@code facebook/blt}'s {@code entropy_model/}): {@code params.json} with an
 *       {@code entropy_model} section, and {@code consolidated/consolidated.pth} or {@code consolidated.pth}
 *       (looked for in that order, as upstream's {@code Patcher} does);</li>
 *   <li>the Hugging Face hub's ({@code facebook/blt-entropy}, written by huggingface_hub's
 *       {@code PyTorchModelHubMixin}): {@code config.json} = {@code {"args": LMTransformerArgs}} and
 *       {@code model.safetensors} under the same state-dict names.</li>
 * </ul>
 * A config given explicitly wins over one found in the folder.
 */
public final class WeightsLocator {
    /** What a {@code --weights} option accepts, for the help of every command that takes one. */
    public static final String FORMATS = "Model weights: .safetensors, upstream's torch.save consolidated.pth, "
            + "a Burn .mpk/.mpk.gz, or a folder in upstream's layout (params.json + consolidated.pth) or the HF hub's "
            + "(config.json + model.safetensors); upstream state-dict names";
    /** Tensor files a folder may hold, in the order they are looked for. */
    public static final List<String> WEIGHT_FILES = List.of("consolidated/consolidated.pth", "consolidated.pth",
            "model.safetensors");
    /** Config files a folder may hold, in the order they are looked for. */
    public static final List<String> CONFIG_FILES = List.of("params.json", "config.json");

    /** @param config null when neither given nor found: the tensor file's own metadata must then carry it */
    public record Location(Path weights, Path config) {
    }

    private WeightsLocator() {
    }

    public static Location locate(Path weights, Path config) throws IOException {
        if (Files.isRegularFile(weights)) {
            return new Location(weights, config);
        }
        if (!Files.isDirectory(weights)) {
            throw new IOException(weights + ": weights file not found");
        }
        Path tensors = first(weights, WEIGHT_FILES);
        if (tensors == null) {
            throw new IOException(weights + ": a folder without model weights (looked for "
                    + String.join(", ", WEIGHT_FILES) + ")");
        }
        return new Location(tensors, config != null ? config : first(weights, CONFIG_FILES));
    }

    private static Path first(Path dir, List<String> names) {
        return names.stream().map(dir::resolve).filter(Files::isRegularFile).findFirst().orElse(null);
    }
}
