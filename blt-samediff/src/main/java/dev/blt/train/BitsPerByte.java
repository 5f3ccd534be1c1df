package dev.blt.train;

import dev.blt.data.tokenizer.ByteTokenizer;
import dev.blt.model.LMTransformer;
import dev.blt.model.LogSumExp;
import dev.blt.model.Output;
import dev.blt.model.ScoreSink;
import dev.blt.model.Scores;
import dev.blt.model.SequenceScorer;
import dev.blt.train.data.DocumentSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Cross-entropy of a model on whole documents. Each document is scored on its own as BOS + bytes + EOS (as in
 * training); every token after BOS is predicted from all tokens before it (within the model's window), so a
 * document of n bytes gives n + 1 predictions, the last being its EOS. Then
 * {@code loss = total nats / predictions} and
 * {@code bits per byte = total nats / ln 2 / total bytes}: the EOS costs are charged to the bytes, like the
 * end-of-stream marker of a compressor, so the number compares directly with a compressed size in bits / 8n.
 * The same totals are also kept for the first half of every document (the predictions of its first n / 2 bytes,
 * rounded down) and the second half (the rest and EOS): a model that loses its footing once a document outgrows
 * its window shows a worse second half.
 */
public final class BitsPerByte {
    private static final int DOCS_PER_CALL = 4;

    private BitsPerByte() {
    }

    /** Totals over the documents; {@code maxBytes} stops after the document that reaches it (0 = no limit). */
    public static Result evaluate(LMTransformer model, DocumentSource docs, long maxBytes) throws IOException {
        return evaluate(model, docs, maxBytes, null);
    }

    /** As {@link #evaluate(LMTransformer, DocumentSource, long)}, adding each document's entropies to {@code entropies}
     *  when it is not null (from the same forward passes). */
    public static Result evaluate(LMTransformer model, DocumentSource docs, long maxBytes, List<float[]> entropies)
            throws IOException {
        Set<Output> wanted = entropies == null ? EnumSet.of(Output.LOGITS) : EnumSet.of(Output.LOGITS, Output.ENTROPIES);
        double nats = 0;
        double firstHalfNats = 0;
        long firstHalfBytes = 0;
        long predictions = 0;
        long bytes = 0;
        long documents = 0;
        try (SequenceScorer scorer = new SequenceScorer(model, null, 1);
             DocumentSource.DocumentStream in = docs.open()) {
            List<int[]> batch = new ArrayList<>();
            byte[] doc;
            boolean more = true;
            while (more) {
                doc = (maxBytes > 0 && bytes >= maxBytes) ? null : in.next();
                more = doc != null;
                if (doc != null) {
                    batch.add(ByteTokenizer.encode(doc, true, true));
                    bytes += doc.length;
                    firstHalfBytes += doc.length / 2;
                    documents++;
                }
                if (batch.size() == DOCS_PER_CALL || (!more && !batch.isEmpty())) {
                    List<Likelihood> rows = new ArrayList<>();
                    for (int[] tokens : batch) {
                        rows.add(new Likelihood(tokens, model.config().vocabSize(),
                                entropies == null ? null : new float[tokens.length]));
                        predictions += tokens.length - 1;
                    }
                    scorer.scoreBatch(batch, wanted, rows);
                    for (Likelihood row : rows) {
                        nats += row.nats;
                        firstHalfNats += row.firstHalfNats;
                        if (entropies != null) {
                            entropies.add(row.entropies);
                        }
                    }
                    batch.clear();
                }
            }
        }
        if (documents == 0) {
            throw new IOException("no documents to evaluate");
        }
        return new Result(nats, predictions, bytes, documents, firstHalfNats, firstHalfBytes);
    }

    /**
     * Sum over positions 1..n-1 of {@code -log softmax(logits[i-1])[tokens[i]]}, in double, taken chunk by chunk as
     * the scorer hands them over, so that no document's logits are held whole; and the part of it that predicts
     * the first half of the document's bytes.
     */
    static final class Likelihood implements ScoreSink {
        private final int[] tokens;
        private final int vocab;
        private final float[] entropies;
        private final double[] row;
        /** Targets {@code 1 .. firstHalfEnd} are the bytes of the first half (target t is byte t - 1). */
        private final int firstHalfEnd;
        private double nats;
        private double firstHalfNats;

        Likelihood(int[] tokens, int vocab, float[] entropies) {
            this.tokens = tokens;
            this.vocab = vocab;
            this.entropies = entropies;
            this.row = new double[vocab];
            this.firstHalfEnd = (tokens.length - 2) / 2;
        }

        @Override
        public void accept(int from, Scores chunk) {
            if (entropies != null) {
                System.arraycopy(chunk.entropies(), 0, entropies, from, chunk.length());
            }
            float[] logits = chunk.logits();
            for (int p = 0; p < chunk.length() && from + p + 1 < tokens.length; p++) {
                for (int j = 0; j < vocab; j++) {
                    row[j] = logits[p * vocab + j];
                }
                int target = from + p + 1;
                double cost = LogSumExp.of(row, 0, vocab) - row[tokens[target]];
                nats += cost;
                if (target <= firstHalfEnd) {
                    firstHalfNats += cost;
                }
            }
        }

        double nats() {
            return nats;
        }

        double firstHalfNats() {
            return firstHalfNats;
        }
    }

    public record Result(double nats, long predictions, long bytes, long documents, double firstHalfNats,
                         long firstHalfBytes) {
        /** Mean nats per prediction (the training loss on whole documents). */
        public double loss() {
            return nats / predictions;
        }

        public double bitsPerByte() {
            return bits(nats, bytes);
        }

        /** Over the first half of every document's bytes. */
        public double firstHalfBitsPerByte() {
            return bits(firstHalfNats, firstHalfBytes);
        }

        /** Over the second half of every document's bytes, its EOS included. */
        public double secondHalfBitsPerByte() {
            return bits(nats - firstHalfNats, bytes - firstHalfBytes);
        }

        private static double bits(double nats, long bytes) {
            return bytes == 0 ? Double.NaN : nats / Math.log(2) / bytes;
        }
    }
}
