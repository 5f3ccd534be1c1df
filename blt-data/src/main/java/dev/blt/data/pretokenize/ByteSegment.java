package dev.blt.data.pretokenize;

import java.util.Objects;

/**
 * One piece of pre-tokenized input: its bytes, what it is ({@code label}, e.g. {@code word}, {@code function_item},
 * {@code tile}) and where it comes from ({@link SegmentMetadata}).
 */
public record ByteSegment(byte[] bytes, String label, SegmentMetadata metadata) {
    public ByteSegment {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(metadata, "metadata");
        if (metadata.end() - metadata.start() != bytes.length) {
            throw new IllegalArgumentException("segment " + label + " has " + bytes.length + " bytes but range ["
                    + metadata.start() + ", " + metadata.end() + ")");
        }
    }

    public int size() {
        return bytes.length;
    }

    /** Label, range and fields; the bytes themselves are left out (they can be megabytes). */
    @Override
    public String toString() {
        SegmentMetadata m = metadata;
        return label + " [" + m.start() + ", " + m.end() + ")" + (m.origin() == SegmentMetadata.Origin.DECODED ? " decoded " : " ")
                + m.fields();
    }
}
