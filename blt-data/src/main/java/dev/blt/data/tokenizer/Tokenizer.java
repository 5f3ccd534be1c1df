package dev.blt.data.tokenizer;

import java.util.List;

/**
 * A text tokenizer: the byte tokenizer BLT itself uses, or a subword tokenizer (tiktoken, SentencePiece,
 * Hugging Face {@code tokenizer.json}) whose token boundaries BLT can mark with delimiters or use as segments.
 * Implementations that hold native resources release them in {@link #close()}.
 */
public interface Tokenizer extends AutoCloseable {
    /** A short name for logs and output headers, e.g. {@code cl100k_base} or the model's file name. */
    String name();

    /** Number of ids this tokenizer can emit: every id is in {@code [0, vocabSize())}. */
    int vocabSize();

    /** The token ids of {@code text}; special-token text in the input is treated as ordinary text. */
    int[] encode(String text);

    /** The text behind {@code ids}; ids that stand for no text (BOS, EOS, delimiters) contribute nothing. */
    String decode(int[] ids);

    /**
     * {@code text} cut at this tokenizer's token boundaries, one UTF-8 byte string per piece, as upstream BLT's
     * BPE-delimiter mode sees them. Lossless tokenizers return pieces whose concatenation is exactly the text's
     * UTF-8; a tokenizer that normalizes text (SentencePiece) documents what it returns.
     */
    List<byte[]> pieces(String text);

    @Override
    default void close() {
    }
}
