package dev.blt.model;

import dev.blt.data.tensors.ShardedSafeTensors;

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
 *       {@code model.safetensors} under the same state-dict names;</li>
 *   <li>transformers' BLT port ({@code save_pretrained}): {@code config.json} with {@code model_type}
 *       {@code blt} (a whole model: its patcher is read) or {@code blt_patcher}, and {@code model.safetensors}
 *       or shards listed in {@code model.safetensors.index.json}; see {@link TransformersBlt}.</li>
 * </ul>
 * A config given explicitly wins over one found in the folder.
 */
public final class WeightsLocator {
    /** What a {@code --weights} option accepts, for the help of every command that takes one. */
    public static final String FORMATS = "Model weights: .safetensors, upstream's torch.save consolidated.pth, "
            + "a Burn .mpk/.mpk.gz, or a folder in upstream's layout (params.json + consolidated.pth), the HF hub's "
            + "(config.json + model.safetensors) or transformers' BLT layout (BltForCausalLM/BltModel, whose patcher "
            + "is read, or BltPatcher; sharded or not)";
    /** Tensor files a folder may hold, in the order they are looked for. */
    public static final List<String> WEIGHT_FILES = List.of("consolidated/consolidated.pth", "consolidated.pth",
            "model.safetensors");
    /** Config files a folder may hold, in the order they are looked for. */
    public static final List<String> CONFIG_FILES = List.of("params.json", "config.json");

    /** How the weights were found, for reports such as {@code ./blt weights inspect}. */
    public enum Layout {
        FILE("a weights file given directly"),
        UPSTREAM("upstream's entropy_model/ folder (params.json + consolidated.pth)"),
        HUB("the HF hub's PyTorchModelHubMixin folder (config.json {\"args\": ...} + model.safetensors)"),
        TRANSFORMERS_MODEL("transformers' BLT model folder (config.json model_type \"blt\": the patcher's "
                + "tensors and patcher_config are read)"),
        TRANSFORMERS_PATCHER("transformers' BltPatcher folder (config.json model_type \"blt_patcher\")");

        private final String description;

        Layout(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    /** @param config null when neither given nor found: the tensor file's own metadata must then carry it */
    public record Location(Path weights, Path config, Layout layout) {
        public Location(Path weights, Path config) {
            this(weights, config, Layout.FILE);
        }

        /** The files holding the tensors: the shards an index names, else the weights file. */
        public List<Path> files() throws IOException {
            return ShardedSafeTensors.isIndex(weights) ? ShardedSafeTensors.shardFiles(weights) : List.of(weights);
        }
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
        Path hfConfig = weights.resolve("config.json");
        String modelType = Files.isRegularFile(hfConfig) ? TransformersBlt.modelType(hfConfig) : null;
        if (modelType != null) {
            Path tensors = first(weights, List.of("model.safetensors", ShardedSafeTensors.INDEX_FILE));
            if (tensors == null) {
                throw new IOException(weights + ": a transformers BLT folder without model.safetensors or "
                        + ShardedSafeTensors.INDEX_FILE);
            }
            return new Location(tensors, config != null ? config : hfConfig,
                    modelType.equals(TransformersBlt.MODEL_TYPE) ? Layout.TRANSFORMERS_MODEL : Layout.TRANSFORMERS_PATCHER);
        }
        Path tensors = first(weights, WEIGHT_FILES);
        if (tensors == null) {
            throw new IOException(weights + ": a folder without model weights (looked for "
                    + String.join(", ", WEIGHT_FILES) + ")");
        }
        Layout layout = tensors.getFileName().toString().endsWith(".pth") ? Layout.UPSTREAM : Layout.HUB;
        return new Location(tensors, config != null ? config : first(weights, CONFIG_FILES), layout);
    }

    private static Path first(Path dir, List<String> names) {
        return names.stream().map(dir::resolve).filter(Files::isRegularFile).findFirst().orElse(null);
    }
}
