package dev.blt.data.format;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The names of an ingest output, in one place for the writers ({@code blt ingest}, {@code spark-ingest}) and every
 * reader (water-filling, Spark rows, Arrow export): per document {@code <name>.safetensors} (tensors plus a
 * {@code __metadata__} map of strings) and {@code <name>.metadata.json} (the sidecar), and per run a manifest of
 * JSON lines.
 *
 * <p>{@link #V1} kept the segments as objects in the sidecar and had no {@link #PATCH_ENTROPIES} or segment
 * tensors; {@link #V2} has both. Readers accept either: everything a v1 file has, a v2 file has under the same name.
 */
public final class IngestFormat {
    public static final String V1 = "blt-ingest-v1";
    public static final String V2 = "blt-ingest-v2";
    /** What ingest writes now. */
    public static final String CURRENT = V2;

    public static final String TENSORS_SUFFIX = ".safetensors";
    public static final String SIDECAR_SUFFIX = ".metadata.json";

    // per position, [S] (embeddings [S, dim])
    public static final String EMBEDDINGS = "embeddings";
    public static final String PROMINENCE = "prominence";
    public static final String ENTROPIES = "entropies";
    public static final String PATCH_MASK = "patch_mask";
    public static final String TOKENS = "tokens";

    // per patch, [P] (patch embeddings [P, dim])
    public static final String PATCH_EMBEDDINGS = "patch_embeddings";
    public static final String PATCH_INDICES = "patch_indices";
    public static final String PATCH_LENGTHS = "patch_lengths";
    public static final String PATCH_PROMINENCE = "patch_prominence";
    /** Mean entropy of the patch's positions; v2 only. */
    public static final String PATCH_ENTROPIES = "patch_entropies";

    // per segment, v2 only; a kind indexes the sidecar's SEGMENT_KINDS
    public static final String SEGMENT_STARTS = "segment_starts";
    public static final String SEGMENT_ENDS = "segment_ends";
    public static final String SEGMENT_ORIGIN_STARTS = "segment_origin_starts";
    public static final String SEGMENT_ORIGIN_ENDS = "segment_origin_ends";
    public static final String SEGMENT_KINDS = "segment_kinds";

    // keys of the tensors file's __metadata__ (the first six also in the sidecar, patching there as an object)
    public static final String FORMAT = "format";
    public static final String MODEL_SHA256 = "model_sha256";
    public static final String MODEL_CONFIG = "model_config";
    public static final String PATCHING = "patching";
    public static final String TOOL_VERSION = "tool_version";
    /** The forward pass's arithmetic ({@code float32}, {@code bf16}); absent from files written before it was. */
    public static final String PRECISION = "precision";
    public static final String DOC_ID = "doc_id";
    public static final String SOURCE = "source";
    public static final String ROW = "row";
    public static final String METADATA_FILE = "metadata_file";

    /**
     * The metadata that says how a document's numbers were made; the same for every document of a run, so it is the
     * record carried into what is computed from them.
     */
    public static final List<String> PROVENANCE = List.of(FORMAT, MODEL_SHA256, MODEL_CONFIG, PATCHING, TOOL_VERSION,
            PRECISION);

    // sidecar keys besides the ones above (SEGMENT_KINDS and TOKENS there too: kinds as objects, tokens a count)
    public static final String ORDINAL = "ordinal";
    public static final String TENSORS_FILE = "tensors_file";
    public static final String BYTE_LENGTH = "byte_length";
    public static final String MODEL_INPUT_BYTES = "model_input_bytes";
    public static final String MODALITY = "modality";
    public static final String PART = "part";
    /** v2: the number of segments; v1: the segments as objects. */
    public static final String SEGMENTS = "segments";
    public static final String KIND_LABEL = "label";
    public static final String KIND_ORIGIN = "origin";
    public static final String PATCH_COUNT = "patch_count";
    public static final String ENTROPY_STATS = "entropy_stats";

    // keys of a manifest line
    public static final String MANIFEST_ORDINAL = "ordinal";
    public static final String MANIFEST_ID = "id";
    public static final String MANIFEST_NAME = "name";
    public static final String MANIFEST_TOKENS = "tokens";
    public static final String MANIFEST_PATCHES = "patches";
    public static final String MANIFEST_PARTS = "parts";

    private IngestFormat() {
    }

    public static String tensorsFile(String name) {
        return name + TENSORS_SUFFIX;
    }

    public static String sidecarFile(String name) {
        return name + SIDECAR_SUFFIX;
    }

    /** The {@link #PROVENANCE} entries of a tensors file's metadata, in that order; missing ones are left out. */
    public static Map<String, String> provenance(Map<String, String> metadata) {
        Map<String, String> p = new LinkedHashMap<>();
        for (String k : PROVENANCE) {
            String v = metadata.get(k);
            if (v != null) {
                p.put(k, v);
            }
        }
        return p;
    }
}
