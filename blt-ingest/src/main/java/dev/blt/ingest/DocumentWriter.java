package dev.blt.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blt.data.format.IngestFormat;
import dev.blt.data.io.EarlierRun;
import dev.blt.data.tensors.DType;
import dev.blt.patching.PatchOptions;
import dev.blt.patching.ThresholdChoice;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Writes documents' {@code <name>.safetensors} and {@code <name>.metadata.json}: {@link #open} starts a document
 * whose per-position outputs are written as the model computes them ({@link DocumentOutput}), so that no document's
 * outputs are ever in memory whole. Each file appears atomically; the sidecar is renamed last, so a document whose
 * sidecar exists has both files complete.
 */
public final class DocumentWriter {
    static final ObjectMapper JSON = new ObjectMapper();
    /** The key of the patching JSON saying where its threshold came from. */
    public static final String THRESHOLD_SOURCE = "threshold_source";

    final Path dir;
    final DType dtype;
    final int dim;
    final PatchOptions patching;
    final String thresholdSource;
    final Map<String, String> runMetadata;

    /** @param thresholdSource where {@code patching}'s threshold came from ({@link ThresholdChoice#source}) */
    public DocumentWriter(Path dir, DType dtype, LoadedModel model, PatchOptions patching, String thresholdSource) {
        this.dir = dir;
        this.dtype = dtype;
        this.dim = model.config().dim();
        this.patching = patching;
        this.thresholdSource = thresholdSource;
        Map<String, String> m = new LinkedHashMap<>();
        m.put(IngestFormat.FORMAT, IngestFormat.CURRENT);
        m.put(IngestFormat.MODEL_SHA256, model.sha256());
        m.put(IngestFormat.MODEL_CONFIG, model.config().toJson());
        m.put(IngestFormat.PATCHING, patchingJson(patching, thresholdSource).toString());
        m.put(IngestFormat.TOOL_VERSION, ToolVersion.get());
        m.put(IngestFormat.PRECISION, model.model().precision().label());
        this.runMetadata = Map.copyOf(m);
    }

    static ObjectNode patchingJson(PatchOptions p, String thresholdSource) {
        ObjectNode o = JSON.createObjectNode();
        o.put("threshold", p.threshold());
        o.put(THRESHOLD_SOURCE, thresholdSource);
        if (p.thresholdAdd() == null) {
            o.putNull("threshold_add");
        } else {
            o.put("threshold_add", p.thresholdAdd());
        }
        o.put("monotonicity", p.monotonicity());
        if (p.maxPatchLength() == null) {
            o.putNull("max_patch_length");
        } else {
            o.put("max_patch_length", p.maxPatchLength());
        }
        o.put("include_next_token", p.includeNextToken());
        return o;
    }

    /** A killed run leaves the temporary files of its last atomic writes; they are never valid outputs. */
    public static void removeStaleTempFiles(Path dir) throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, ".*.tmp")) {
            for (Path p : ds) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Removes a document's files, the sidecar first: a document half removed is not taken for a written one. */
    public static void remove(Path dir, String name) throws IOException {
        Files.deleteIfExists(dir.resolve(IngestFormat.sidecarFile(name)));
        Files.deleteIfExists(dir.resolve(IngestFormat.tensorsFile(name)));
    }

    /** The names of the documents written in {@code dir}, known by their sidecars, sorted. */
    public static List<String> writtenNames(Path dir) throws IOException {
        String suffix = IngestFormat.SIDECAR_SUFFIX;
        return EarlierRun.named(dir, "", suffix).stream().map(p -> p.getFileName().toString())
                .map(n -> n.substring(0, n.length() - suffix.length())).toList();
    }

    /** Whether the document with this id has both files in place (the sidecar is renamed last). */
    public boolean written(String id) {
        return Files.exists(dir.resolve(IngestFormat.sidecarFile(OutputNames.forId(id))));
    }

    /**
     * Starts the files of {@code doc}, whose model input is {@code tokens}, telling {@code scored} of each chunk
     * written; the caller closes what it opens.
     */
    public DocumentOutput open(IngestDocument doc, int[] tokens, IntConsumer scored) throws IOException {
        return new DocumentOutput(this, doc, tokens, scored);
    }

    /** What was written for one document. */
    public record Written(String name, int tokens, int patches) {
    }
}
