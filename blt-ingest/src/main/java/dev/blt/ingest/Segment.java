package dev.blt.ingest;

/**
 * One pre-tokenizer segment of a document.
 *
 * @param label       what it is (word, function_item, tile, frame, ...)
 * @param start       first byte in the model input (the segments concatenated)
 * @param end         end (exclusive) in the model input
 * @param origin      {@code input}: {@code [originStart, originEnd)} are bytes of the document as read;
 *                    {@code decoded}: of the modality's decoded stream (pixels, page text)
 */
public record Segment(String label, long start, long end, String origin, long originStart, long originEnd) {
}
