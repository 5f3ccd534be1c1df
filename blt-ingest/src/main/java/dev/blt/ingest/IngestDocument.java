package dev.blt.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * @param part     null, or where this part lies in a longer document ({@link Part})
 * @param partsOfOrdinal how many documents the input record at {@code ordinal} was cut into (1 when not cut)
 */
public record IngestDocument(String id, String source, long row, long ordinal, byte[] bytes, long inputLength,
                             Modality modality, List<Segment> segments, Part part, int partsOfOrdinal) {
    public IngestDocument {
        segments = List.copyOf(segments);
    }

    /**
     * Part {@code index} of the document {@code wholeId}, starting at byte {@code start} of the file as read
     * ({@code space} {@code input}: a long text file read in parts) or of the whole document's model input
     * ({@code model_input}: a document whose pre-tokenized bytes were longer than a part).
     */
    public record Part(String wholeId, int index, String space, long start) {
        static final String INPUT = "input";
        static final String MODEL_INPUT = "model_input";

        ObjectNode toJson() {
            ObjectNode o = DocumentWriter.JSON.createObjectNode();
            o.put("of", wholeId).put("index", index).put("space", space).put("start", start);
            return o;
        }
    }
}
