package dev.blt.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blt.data.io.AtomicFiles;
import dev.blt.data.tensors.DType;
import dev.blt.data.tensors.SafeTensorsWriter;
import dev.blt.patching.PatchOptions;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes one document's {@code <name>.safetensors} and {@code <name>.metadata.json}, each atomically. The sidecar
 * is written last, so a document whose sidecar exists has both files complete.
 */
public final class DocumentWriter {
    static final String FORMAT = "blt-ingest-v1";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;
    private final DType dtype;
    private final Map<String, String> runMetadata;
    private final ObjectNode patching;

    public DocumentWriter(Path dir, DType dtype, LoadedModel model, PatchOptions patching) {
        this.dir = dir;
        this.dtype = dtype;
        this.patching = patchingJson(patching);
        Map<String, String> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("model_sha256", model.sha256());
        m.put("model_config", model.config().toJson());
        m.put("patching", this.patching.toString());
        m.put("tool_version", ToolVersion.get());
        this.runMetadata = Map.copyOf(m);
    }

    static ObjectNode patchingJson(PatchOptions p) {
        ObjectNode o = JSON.createObjectNode();
        o.put("threshold", p.threshold());
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

    /** Whether the document with this id has both files in place (the sidecar is renamed last). */
    public boolean written(String id) {
        return Files.exists(dir.resolve(OutputNames.forId(id) + ".metadata.json"));
    }

    /** Writes both files; returns the base name used. */
    public String write(IngestDocument doc, DocumentTensors t) throws IOException {
        String name = OutputNames.forId(doc.id());
        int s = t.length();
        int p = t.patches().count();
        long dim = t.dim();
        SafeTensorsWriter w = new SafeTensorsWriter();
        w.metadata(runMetadata);
        w.metadata("doc_id", doc.id());
        w.metadata("source", doc.source());
        w.metadata("row", Long.toString(doc.row()));
        w.metadata("metadata_file", name + ".metadata.json");
        w.addFloats("embeddings", t.embeddings(), dtype, s, dim);
        w.addFloats("prominence", t.prominence(), s);
        w.addFloats("entropies", t.entropies(), s);
        w.addLongs("patch_indices", t.patches().starts(), p);
        w.addLongs("patch_lengths", t.patches().lengths(), p);
        w.addInts("patch_mask", toInts(t.patches().startMask(s)), s);
        w.addInts("tokens", t.tokens(), s);
        w.addFloats("patch_embeddings", t.patchEmbeddings(), dtype, p, dim);
        w.addFloats("patch_prominence", t.patchProminence(), p);
        w.write(dir.resolve(name + ".safetensors"));
        AtomicFiles.writeString(dir.resolve(name + ".metadata.json"), JSON.writeValueAsString(sidecar(doc, t, name)));
        return name;
    }

    private ObjectNode sidecar(IngestDocument doc, DocumentTensors t, String name) {
        ObjectNode o = JSON.createObjectNode();
        o.put("format", FORMAT);
        o.put("doc_id", doc.id());
        o.put("source", doc.source());
        o.put("row", doc.row());
        o.put("ordinal", doc.ordinal());
        o.put("tensors_file", name + ".safetensors");
        o.put("byte_length", doc.inputLength());
        o.put("model_input_bytes", doc.bytes().length);
        o.put("tokens", t.length());
        o.put("modality", doc.modality().id());
        ArrayNode segs = o.putArray("segments");
        for (Segment seg : doc.segments()) {
            segs.addObject().put("label", seg.label()).put("modality", doc.modality().id())
                    .put("start", seg.start()).put("end", seg.end()).put("origin", seg.origin())
                    .put("origin_start", seg.originStart()).put("origin_end", seg.originEnd());
        }
        o.put("patch_count", t.patches().count());
        double[] st = t.entropyStats();
        o.putObject("entropy_stats").put("min", st[0]).put("max", st[1]).put("mean", st[2]).put("std", st[3]);
        o.put("model_sha256", runMetadata.get("model_sha256"));
        o.set("patching", patching.deepCopy());
        o.put("tool_version", runMetadata.get("tool_version"));
        return o;
    }

    private static int[] toInts(long[] v) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (int) v[i];
        }
        return out;
    }
}
