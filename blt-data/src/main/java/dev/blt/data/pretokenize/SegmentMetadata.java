package dev.blt.data.pretokenize;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a segment's bytes are: the range {@code [start, end)} in the byte stream named by {@code origin}, plus
 * modality-specific fields in a fixed order (width, page, sample offset, ...).
 */
public record SegmentMetadata(long start, long end, Origin origin, Map<String, Object> fields) {
    /** Which byte stream a range points into. */
    public enum Origin {
        /** The pre-tokenizer's input itself: the segment's bytes are {@code input[start, end)}. */
        INPUT,
        /**
         * The modality's decoded stream (pixels, page text), documented by each decoding pre-tokenizer: the
         * segment's bytes are {@code decoded[start, end)}.
         */
        DECODED
    }

    public SegmentMetadata {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("bad range [" + start + ", " + end + ")");
        }
        fields = fields.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    public static SegmentMetadata input(long start, long end, Map<String, Object> fields) {
        return new SegmentMetadata(start, end, Origin.INPUT, fields);
    }

    public static SegmentMetadata decoded(long start, long end, Map<String, Object> fields) {
        return new SegmentMetadata(start, end, Origin.DECODED, fields);
    }
}
