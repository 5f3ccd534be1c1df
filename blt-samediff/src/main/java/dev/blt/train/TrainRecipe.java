package dev.blt.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The stages one {@code --config} runs: a training config is one stage; a file holding only {@code stages:}, a list
 * of training configs (paths relative to that file's folder), runs them in order, each stage after the first
 * starting from the weights its predecessor wrote. A model trained in several stages is so reproduced by one command.
 */
public record TrainRecipe(Path file, List<Path> stages) {

    public static TrainRecipe load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": file not found");
        }
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + ": not valid YAML: " + e.getMessage());
        }
        if (root == null || !root.isObject() || !root.has("stages")) {
            return new TrainRecipe(file, List.of(file));
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!key.equals("stages")) {
                throw new IOException(file + ": a file with 'stages' holds nothing else, found '" + key
                        + "' (put it in the stages' own configs)");
            }
        }
        JsonNode list = root.get("stages");
        if (!list.isArray() || list.isEmpty()) {
            throw new IOException(file + ": 'stages' must be a non-empty list of training config files");
        }
        Path folder = file.toAbsolutePath().getParent();
        List<Path> stages = new ArrayList<>();
        for (JsonNode s : list) {
            if (!s.isTextual()) {
                throw new IOException(file + ": 'stages' must list config file paths, got " + s);
            }
            Path stage = folder.resolve(s.asText()).normalize();
            if (!Files.isRegularFile(stage)) {
                throw new IOException(file + ": stage " + s.asText() + " not found (looked for " + stage + ")");
            }
            stages.add(stage);
        }
        return new TrainRecipe(file, List.copyOf(stages));
    }
}
