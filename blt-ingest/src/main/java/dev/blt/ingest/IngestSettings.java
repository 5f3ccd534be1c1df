package dev.blt.ingest;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The ingest options as given, all optional: from a YAML file (keys spelled like the long command-line options,
 * without the dashes) or from the command line. {@link #overriddenBy} merges the two; {@link IngestOptions}
 * validates the result and fills in defaults. Serializable: the Spark job ships them to its executors.
 */
public record IngestSettings(List<String> input, String output, String weights,
                             @JsonProperty("model-config") String modelConfig,
                             Double threshold,
                             @JsonProperty("threshold-add") Double thresholdAdd,
                             Boolean monotonicity,
                             @JsonProperty("max-patch-length") Integer maxPatchLength,
                             String modality,
                             @JsonProperty("text-column") String textColumn,
                             @JsonProperty("id-column") String idColumn,
                             Long limit, String shard, Boolean resume, String dtype, Integer batch, Integer chunk,
                             @JsonProperty("arrow-entropies") Boolean arrowEntropies, Boolean quiet,
                             Integer streams,
                             @JsonProperty("part-bytes") Integer partBytes,
                             @JsonProperty("max-document-bytes") Long maxDocumentBytes,
                             Boolean overwrite, Boolean progress,
                             @JsonProperty("target-patch-size") Double targetPatchSize,
                             @JsonProperty("calibration-documents") Integer calibrationDocuments,
                             String precision)
        implements Serializable {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public static final IngestSettings NONE = new IngestSettings(null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);

    /** Reads a YAML config; an unknown key or a wrong type is an error naming the file. */
    public static IngestSettings load(Path file) throws IOException {
        return of(tree(file), file);
    }

    /**
     * Settings from an already parsed YAML tree (a caller with keys of its own removes them first); errors name
     * {@code file}.
     */
    public static IngestSettings of(JsonNode tree, Path file) throws IOException {
        if (tree == null || tree.isNull() || tree.isMissingNode()) {
            return NONE;
        }
        try {
            return YAML.treeToValue(tree, IngestSettings.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw problem(file, e);
        }
    }

    /** Reads a YAML file as a tree, for callers with keys of their own ({@link #of(JsonNode, Path)}). */
    public static JsonNode tree(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": config file not found");
        }
        try {
            return YAML.readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw problem(file, e);
        }
    }

    private static IOException problem(Path file, com.fasterxml.jackson.core.JsonProcessingException e) {
        return new IOException(file + ": " + e.getOriginalMessage()
                + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
    }

    /**
     * These settings with every value that {@code o} sets replaced by {@code o}'s; {@code threshold} and
     * {@code target-patch-size} are one choice: {@code o} setting either replaces both.
     */
    public IngestSettings overriddenBy(IngestSettings o) {
        boolean choice = o.threshold != null || o.targetPatchSize != null;
        return new IngestSettings(or(o.input, input), or(o.output, output), or(o.weights, weights),
                or(o.modelConfig, modelConfig), choice ? o.threshold : threshold, or(o.thresholdAdd, thresholdAdd),
                or(o.monotonicity, monotonicity), or(o.maxPatchLength, maxPatchLength), or(o.modality, modality),
                or(o.textColumn, textColumn), or(o.idColumn, idColumn), or(o.limit, limit), or(o.shard, shard),
                or(o.resume, resume), or(o.dtype, dtype), or(o.batch, batch), or(o.chunk, chunk),
                or(o.arrowEntropies, arrowEntropies), or(o.quiet, quiet), or(o.streams, streams),
                or(o.partBytes, partBytes), or(o.maxDocumentBytes, maxDocumentBytes), or(o.overwrite, overwrite),
                or(o.progress, progress), choice ? o.targetPatchSize : targetPatchSize,
                or(o.calibrationDocuments, calibrationDocuments), or(o.precision, precision));
    }

    private static <T> T or(T preferred, T fallback) {
        return preferred != null ? preferred : fallback;
    }
}
