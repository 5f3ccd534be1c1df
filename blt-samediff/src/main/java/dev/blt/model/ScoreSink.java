package dev.blt.model;

/**
 * Receives one row's results a chunk at a time, in position order, on the thread that scores the row: a consumer
 * that writes them out keeps per-position outputs off the heap, however long the row.
 */
@FunctionalInterface
public interface ScoreSink {
    /**
     * Positions {@code [from, from + chunk.length())} of the row; outputs not asked for are null. The arrays are the
     * sink's to keep.
     */
    void accept(int from, Scores chunk);

    /** Keeps every chunk in whole-row arrays: for rows whose outputs fit in memory. */
    final class Collector implements ScoreSink {
        private final Scores all;

        public Collector(int length, ModelConfig c, java.util.Set<Output> wanted) {
            all = new Scores(length,
                    wanted.contains(Output.LOGITS) ? new float[Math.multiplyExact(length, c.vocabSize())] : null,
                    wanted.contains(Output.PRENORM) ? new float[Math.multiplyExact(length, c.dim())] : null,
                    wanted.contains(Output.NORMS) ? new float[length] : null,
                    wanted.contains(Output.ENTROPIES) ? new float[length] : null);
        }

        @Override
        public void accept(int from, Scores chunk) {
            copy(chunk.logits(), all.logits(), from, chunk.length());
            copy(chunk.prenorm(), all.prenorm(), from, chunk.length());
            copy(chunk.norms(), all.norms(), from, chunk.length());
            copy(chunk.entropies(), all.entropies(), from, chunk.length());
        }

        private static void copy(float[] src, float[] dst, int from, int n) {
            if (src != null && dst != null) {
                int width = src.length / n;
                System.arraycopy(src, 0, dst, from * width, src.length);
            }
        }

        public Scores scores() {
            return all;
        }
    }
}
