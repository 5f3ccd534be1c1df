package dev.blt.data.tensors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A checkpoint split over several safetensors files, as Hugging Face's {@code save_pretrained} writes it:
 * {@code model.safetensors.index.json} maps every tensor name to its shard ({@code weight_map}), and the shards
 * lie beside the index. Read as one source; each tensor is read from its shard.
 */
public final class ShardedSafeTensors extends RoutedTensorSource {
    /** The index file's name as transformers writes it. */
    public static final String INDEX_FILE = "model.safetensors.index.json";

    private final Path index;
    private final List<SafeTensorsFile> shards;

    private ShardedSafeTensors(Path index, List<SafeTensorsFile> shards) {
        this.index = index;
        this.shards = shards;
    }

    /** True for an index file, told by its name (its content is JSON, which no tensor format starts with). */
    public static boolean isIndex(Path path) {
        return path.getFileName() != null && path.getFileName().toString().endsWith(".safetensors.index.json");
    }

    /** The shard files an index names, in the order they first appear in its weight map. */
    public static List<Path> shardFiles(Path index) throws TensorFileException {
        Set<Path> files = new LinkedHashSet<>();
        for (Iterator<JsonNode> it = weightMap(index).elements(); it.hasNext(); ) {
            files.add(index.resolveSibling(it.next().asText()));
        }
        return new ArrayList<>(files);
    }

    public static ShardedSafeTensors open(Path index) throws TensorFileException {
        JsonNode map = weightMap(index);
        Map<Path, SafeTensorsFile> opened = new LinkedHashMap<>();
        ShardedSafeTensors s = new ShardedSafeTensors(index, new ArrayList<>());
        try {
            for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                Path file = index.resolveSibling(e.getValue().asText());
                SafeTensorsFile shard = opened.get(file);
                if (shard == null) {
                    shard = SafeTensorsFile.open(file);
                    opened.put(file, shard);
                    s.shards.add(shard);
                }
                TensorInfo info = shard.tensors().get(e.getKey());
                if (info == null) {
                    throw new TensorFileException(file, e.getKey(), "listed in " + index.getFileName()
                            + " but not in this shard");
                }
                s.route(info, shard, e.getKey());
            }
        } catch (TensorFileException | RuntimeException e) {
            s.closeQuietly();
            throw e;
        }
        return s;
    }

    private static JsonNode weightMap(Path index) throws TensorFileException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(index.toFile());
        } catch (IOException e) {
            throw new TensorFileException(index, "not a readable shard index: " + e.getMessage());
        }
        JsonNode map = root == null ? null : root.get("weight_map");
        if (map == null || !map.isObject() || map.isEmpty()) {
            throw new TensorFileException(index, "a shard index without a 'weight_map' of tensor names to files");
        }
        return map;
    }

    @Override
    public Path path() {
        return index;
    }

    @Override
    public String format() {
        return "safetensors in " + shards.size() + " shards";
    }

    /** The first shard's metadata (transformers writes the same {@code format} entry in each). */
    @Override
    public Map<String, String> metadata() {
        return shards.isEmpty() ? Map.of() : shards.get(0).metadata();
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (SafeTensorsFile s : shards) {
            try {
                s.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (IOException ignored) {
            // already failing with the more useful error
        }
    }
}
