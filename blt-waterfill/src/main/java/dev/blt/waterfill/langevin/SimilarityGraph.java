package dev.blt.waterfill.langevin;

/**
 * A symmetric sparse similarity graph in compressed-row form: the neighbours of i are
 * {@code neighbours[offsets[i] .. offsets[i+1])} with cosine similarities {@code weights[...]}, each row sorted by
 * neighbour index, no self loops; (i, j) is present exactly when (j, i) is, with the same weight.
 */
public record SimilarityGraph(int[] offsets, int[] neighbours, float[] weights) {

    public static SimilarityGraph empty(int n) {
        return new SimilarityGraph(new int[n + 1], new int[0], new float[0]);
    }

    public int size() {
        return offsets.length - 1;
    }

    /** Number of undirected edges. */
    public long edges() {
        return neighbours.length / 2;
    }
}
