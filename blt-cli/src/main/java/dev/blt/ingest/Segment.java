package dev.blt.ingest;

/** One pre-tokenizer segment of a document: what it is and which bytes {@code [start, end)} of the model input. */
public record Segment(String label, String modality, long start, long end) {
}
