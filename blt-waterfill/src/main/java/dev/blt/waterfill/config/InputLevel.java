package dev.blt.waterfill.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.blt.data.format.IngestFormat;

/** Which arrays of an ingest file are placed: one point per byte token, or one per entropy patch. */
public enum InputLevel implements Choice {
    TOKEN("token", IngestFormat.EMBEDDINGS, IngestFormat.PROMINENCE, IngestFormat.ENTROPIES),
    PATCH("patch", IngestFormat.PATCH_EMBEDDINGS, IngestFormat.PATCH_PROMINENCE, IngestFormat.PATCH_ENTROPIES);

    private final String id;
    private final String embeddingsKey;
    private final String prominenceKey;
    private final String entropiesKey;

    InputLevel(String id, String embeddingsKey, String prominenceKey, String entropiesKey) {
        this.id = id;
        this.embeddingsKey = embeddingsKey;
        this.prominenceKey = prominenceKey;
        this.entropiesKey = entropiesKey;
    }

    @JsonValue
    @Override
    public String id() {
        return id;
    }

    public String embeddingsKey() {
        return embeddingsKey;
    }

    public String prominenceKey() {
        return prominenceKey;
    }

    /** Optional in every input (v1 ingest outputs have no patch entropies). */
    public String entropiesKey() {
        return entropiesKey;
    }

    @JsonCreator
    public static InputLevel parse(String text) {
        return Choice.parse(InputLevel.class, text);
    }
}
