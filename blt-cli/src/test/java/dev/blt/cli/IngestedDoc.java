package dev.blt.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.blt.data.format.IngestFormat;
import dev.blt.data.tensors.SafeTensorsFile;
import dev.blt.ingest.OutputNames;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** One document's ingest outputs read back from disk, for assertions. */
record IngestedDoc(String embeddingsDtype, Map<String, String> metadata, JsonNode sidecar, long[] shapeEmbeddings, float[] embeddings,
                   float[] prominence, float[] entropies, long[] patchIndices, long[] patchLengths, long[] patchMask,
                   long[] tokens, long[] shapePatchEmbeddings, float[] patchEmbeddings, float[] patchProminence,
                   java.util.List<Seg> segments) {

    /** A pre-tokenizer segment as stored: five tensors, the kind's label and origin from the sidecar's table. */
    record Seg(String label, String origin, long start, long end, long originStart, long originEnd) {
    }

    private static java.util.List<Seg> segments(SafeTensorsFile st, JsonNode sidecar) throws IOException {
        long[] start = st.readLongs(IngestFormat.SEGMENT_STARTS);
        long[] end = st.readLongs(IngestFormat.SEGMENT_ENDS);
        long[] oStart = st.readLongs(IngestFormat.SEGMENT_ORIGIN_STARTS);
        long[] oEnd = st.readLongs(IngestFormat.SEGMENT_ORIGIN_ENDS);
        long[] kind = st.readLongs(IngestFormat.SEGMENT_KINDS);
        java.util.List<Seg> out = new java.util.ArrayList<>();
        for (int i = 0; i < start.length; i++) {
            JsonNode k = sidecar.get(IngestFormat.SEGMENT_KINDS).get((int) kind[i]);
            out.add(new Seg(k.get(IngestFormat.KIND_LABEL).asText(), k.get(IngestFormat.KIND_ORIGIN).asText(), start[i],
                    end[i], oStart[i], oEnd[i]));
        }
        return out;
    }

    static IngestedDoc read(Path dir, String id) throws IOException {
        String name = OutputNames.forId(id);
        try (SafeTensorsFile st = SafeTensorsFile.open(dir.resolve(IngestFormat.tensorsFile(name)))) {
            JsonNode sidecar = new ObjectMapper().readTree(dir.resolve(IngestFormat.sidecarFile(name)).toFile());
            return new IngestedDoc(st.info(IngestFormat.EMBEDDINGS).dtype().name(), st.metadata(), sidecar,
                    st.info(IngestFormat.EMBEDDINGS).shape(), st.readFloats(IngestFormat.EMBEDDINGS),
                    st.readFloats(IngestFormat.PROMINENCE), st.readFloats(IngestFormat.ENTROPIES),
                    st.readLongs(IngestFormat.PATCH_INDICES), st.readLongs(IngestFormat.PATCH_LENGTHS),
                    st.readLongs(IngestFormat.PATCH_MASK), st.readLongs(IngestFormat.TOKENS),
                    st.info(IngestFormat.PATCH_EMBEDDINGS).shape(), st.readFloats(IngestFormat.PATCH_EMBEDDINGS),
                    st.readFloats(IngestFormat.PATCH_PROMINENCE), segments(st, sidecar));
        }
    }

    int length() {
        return tokens.length;
    }

    /** Relative rounding of the stored embeddings: 2^-8 for BF16, 2^-11 for F16, float32 round-off otherwise. */
    double storageEps() {
        switch (embeddingsDtype) {
            case "BF16":
                return 1.0 / 256;
            case "F16":
                return 1.0 / 2048;
            default:
                return 1e-6;
        }
    }

    int dim() {
        return (int) shapeEmbeddings[1];
    }
}
