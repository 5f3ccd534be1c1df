package dev.blt.ingest;

import dev.blt.data.pretokenize.Modality;

import java.util.List;

/**
 * A document ready for the model: what the engine needs and nothing of where it was read from.
 *
 * @param id       the document id (unique within a run)
 * @param source   the file it came from
 * @param row      its record index in that file
 * @param ordinal  its position in the whole input before sharding; stable across runs, the key for resuming
 * @param bytes    the bytes the model reads (the concatenated segments)
 * @param inputLength byte length of the document as read
 * @param modality the detected or requested modality
 * @param segments the pre-tokenizer's segments over {@code bytes}
 */
public record IngestDocument(String id, String source, long row, long ordinal, byte[] bytes, long inputLength,
                             Modality modality, List<Segment> segments) {
    public IngestDocument {
        segments = List.copyOf(segments);
    }
}
