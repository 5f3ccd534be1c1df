package dev.blt.data.pretokenize;

import java.util.List;

/**
 * Cuts one document of a modality into {@link ByteSegment}s, in a deterministic order. Byte-preserving modalities
 * (text, code, audio WAV, binary) return segments whose bytes concatenate to the input and whose ranges are
 * {@link SegmentMetadata.Origin#INPUT} ranges; decoding modalities (image, PDF) document their decoded stream.
 */
public interface ModalityPreTokenizer {
    /** Throws {@link PreTokenizeException} when the input is not of this modality or cannot be decoded. */
    List<ByteSegment> preTokenize(byte[] data) throws PreTokenizeException;

    /** The modality's name, as given to {@code --modality}. */
    String modality();
}
