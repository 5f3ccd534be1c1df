package dev.blt.train.data;

import dev.blt.data.tokenizer.ByteTokenizer;
import dev.blt.model.TrainingBatch;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Upstream's byte-level packing for the entropy model: every document becomes BOS + bytes + EOS, the documents
 * are concatenated into one stream (epoch after epoch), the stream is cut into rows of exactly {@code seqLen}
 * tokens regardless of document boundaries, and rows are shuffled within a buffer. A row gives
 * {@code x = row}, {@code y[:-1] = row[1:]}, {@code y[-1] = 0} (upstream's pad target); that last position is
 * masked out of the loss here, so the model is not taught to predict a pad byte. Attention inside a row follows
 * the EOS tokens it contains (the trainer builds the document mask from them).
 *
 * <p>Everything is a function of (source, seed, rows drawn so far): a resumed run re-creates the packer and
 * {@link #skip skips} the rows already consumed, which restores the shuffle RNG's state exactly.
 */
public final class RowPacker implements AutoCloseable {
    private final DocumentSource source;
    private final int seqLen;
    private final List<int[]> buffer = new ArrayList<>();
    private final int bufferSize;
    private long rng;
    private long rowsDrawn;
    private long epoch;
    private DocumentSource.DocumentStream stream;
    private int[] pending = new int[0];
    private int pendingPos;

    public RowPacker(DocumentSource source, int seqLen, int shuffleBuffer, long seed) {
        if (seqLen < 2 || shuffleBuffer < 1) {
            throw new IllegalArgumentException("seq_len must be >= 2 and the shuffle buffer >= 1");
        }
        this.source = source;
        this.seqLen = seqLen;
        this.bufferSize = shuffleBuffer;
        this.rng = seed;
    }

    public long rowsDrawn() {
        return rowsDrawn;
    }

    /** Completed passes over the source, as read by the packer (which runs a buffer's worth of rows ahead). */
    public long epoch() {
        return epoch;
    }

    public void skip(long rows) throws IOException {
        for (long i = 0; i < rows; i++) {
            nextRow();
        }
    }

    /** The next {@code batchSize} rows as a training batch. */
    public TrainingBatch nextBatch(int batchSize) throws IOException {
        int[] x = new int[batchSize * seqLen];
        int[] y = new int[batchSize * seqLen];
        float[] mask = new float[batchSize * seqLen];
        for (int b = 0; b < batchSize; b++) {
            int[] row = nextRow();
            int off = b * seqLen;
            System.arraycopy(row, 0, x, off, seqLen);
            System.arraycopy(row, 1, y, off, seqLen - 1);
            y[off + seqLen - 1] = 0;
            for (int i = 0; i < seqLen - 1; i++) {
                mask[off + i] = 1f;
            }
        }
        return new TrainingBatch(batchSize, seqLen, x, y, mask);
    }

    public int[] nextRow() throws IOException {
        while (buffer.size() < bufferSize) {
            buffer.add(packRow());
        }
        int j = (int) Long.remainderUnsigned(nextRandom(), buffer.size());
        int[] row = buffer.get(j);
        buffer.set(j, packRow());
        rowsDrawn++;
        return row;
    }

    private int[] packRow() throws IOException {
        int[] row = new int[seqLen];
        int filled = 0;
        while (filled < seqLen) {
            if (pendingPos == pending.length) {
                pending = ByteTokenizer.encode(nextDocument(), true, true);
                pendingPos = 0;
            }
            int n = Math.min(seqLen - filled, pending.length - pendingPos);
            System.arraycopy(pending, pendingPos, row, filled, n);
            filled += n;
            pendingPos += n;
        }
        return row;
    }

    private byte[] nextDocument() throws IOException {
        boolean restarted = false;
        while (true) {
            if (stream == null) {
                stream = source.open();
            }
            byte[] doc = stream.next();
            if (doc != null) {
                return doc;
            }
            stream.close();
            stream = null;
            if (restarted) {
                throw new IOException("the training data holds no documents");
            }
            restarted = true;
            epoch++;
        }
    }

    /** SplitMix64: a tiny RNG whose whole state is one long. */
    private long nextRandom() {
        long z = (rng += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public void close() throws IOException {
        if (stream != null) {
            stream.close();
        }
    }
}
