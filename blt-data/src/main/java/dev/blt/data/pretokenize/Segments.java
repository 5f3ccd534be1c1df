package dev.blt.data.pretokenize;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds input-range segments and keeps byte-preserving pre-tokenizers honest. */
final class Segments {
    private Segments() {
    }

    /** Fields in the given order ({@code Map.of} iterates in an order that changes between runs). */
    static Map<String, Object> fields(Object... keysAndValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            out.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return out;
    }

    /** The segment {@code data[start, end)} with its input range. */
    static ByteSegment slice(byte[] data, int start, int end, String label, Map<String, Object> fields) {
        return new ByteSegment(Arrays.copyOfRange(data, start, end), label, SegmentMetadata.input(start, end, fields));
    }

    /**
     * Checks that input-range segments tile {@code [0, length)} in order without gaps or overlaps; a failure is a
     * bug in the pre-tokenizer, never the user's input.
     */
    static List<ByteSegment> checkTiling(List<ByteSegment> segments, int length) {
        long expected = 0;
        for (ByteSegment s : segments) {
            if (s.metadata().origin() != SegmentMetadata.Origin.INPUT || s.metadata().start() != expected) {
                throw new IllegalStateException("segment " + s.label() + " at " + s.metadata().start() + " does not continue at " + expected);
            }
            expected = s.metadata().end();
        }
        if (expected != length) {
            throw new IllegalStateException("segments end at " + expected + " of " + length + " bytes");
        }
        return segments;
    }
}
