package dev.blt.data.tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * BLT's byte tokenizer as a {@link Tokenizer}, optionally in upstream's BPE-delimiter mode: every piece of a
 * subword tokenizer is preceded by {@link ByteTokenizer#BPE_ID} (not offset), then its bytes + 4
 * ({@code text2bytes_bpe_delims} in upstream {@code blt_tokenizer.py}). BOS/EOS wrap the whole sequence.
 * Unlike the Rust seed, pieces come as bytes from the subword tokenizer, so a token that is not valid UTF-8 on
 * its own (a partial character) keeps its bytes.
 */
public final class BltTokenizer implements Tokenizer {
    private final boolean addBos;
    private final boolean addEos;
    private final Tokenizer delimiters;

    /** Plain byte mode. */
    public BltTokenizer(boolean addBos, boolean addEos) {
        this(addBos, addEos, null);
    }

    /**
     * BPE-delimiter mode with the boundaries of {@code delimiters} (null: plain byte mode). This tokenizer takes
     * ownership: closing it closes {@code delimiters}.
     */
    public BltTokenizer(boolean addBos, boolean addEos, Tokenizer delimiters) {
        this.addBos = addBos;
        this.addEos = addEos;
        this.delimiters = delimiters;
    }

    @Override
    public String name() {
        return delimiters == null ? "bytes" : "bytes+" + delimiters.name();
    }

    @Override
    public int vocabSize() {
        return ByteTokenizer.VOCAB_SIZE;
    }

    @Override
    public int[] encode(String text) {
        if (delimiters == null) {
            return ByteTokenizer.encode(text, addBos, addEos);
        }
        List<byte[]> pieces = delimiters.pieces(text);
        int n = pieces.size() + (addBos ? 1 : 0) + (addEos ? 1 : 0);
        for (byte[] piece : pieces) {
            n += piece.length;
        }
        int[] ids = new int[n];
        int k = 0;
        if (addBos) {
            ids[k++] = ByteTokenizer.BOS_ID;
        }
        for (byte[] piece : pieces) {
            ids[k++] = ByteTokenizer.BPE_ID;
            for (byte b : piece) {
                ids[k++] = (b & 0xff) + ByteTokenizer.OFFSET;
            }
        }
        if (addEos) {
            ids[k] = ByteTokenizer.EOS_ID;
        }
        return ids;
    }

    @Override
    public String decode(int[] ids) {
        return ByteTokenizer.decode(ids);
    }

    /** One piece per byte: the byte tokenizer's boundaries are between all bytes. */
    @Override
    public List<byte[]> pieces(String text) {
        byte[] bytes = ByteTokenizer.utf8IgnoringLoneSurrogates(text);
        List<byte[]> out = new ArrayList<>(bytes.length);
        for (byte b : bytes) {
            out.add(new byte[]{b});
        }
        return out;
    }

    @Override
    public void close() {
        if (delimiters != null) {
            delimiters.close();
        }
    }
}
