package dev.blt.waterfill.langevin;

import dev.blt.waterfill.core.PointSet;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Builds the k-nearest-neighbour cosine-similarity graph of the embeddings, symmetrized (an edge when either point
 * lists the other), replacing the originals' dense N×N matrix.
 *
 * <p>Small inputs are searched exactly. Large ones use random-hyperplane orderings: the rows are projected to
 * {@value #SKETCH_DIM} Gaussian dimensions; for each of several tables, a {@value #CODE_BITS}-bit sign code of random
 * hyperplanes orders the points so that similar directions tend to sit next to each other; the points within k places
 * either side in any table are candidates, ranked by cosine in the sketch space; {@value #REFINE_ROUNDS} rounds of
 * neighbour-of-neighbour search improve the 2k best; the final k are chosen by exact cosine.
 * Cost O(N·(D·m + tables·k·m + k²·m + k·D)) instead of O(N²·D). Deterministic for a given seed.
 */
public final class KnnGraph {
    static final int SKETCH_DIM = 64;
    static final int CODE_BITS = 24;
    static final int REFINE_ROUNDS = 2;

    private KnnGraph() {
    }

    public static SimilarityGraph build(PointSet points, int k, int exactBelow, int tables, long seed) {
        int n = points.n();
        if (k == 0 || n < 2) {
            return SimilarityGraph.empty(n);
        }
        int kk = Math.min(k, n - 1);
        float[] unit = unitRows(points.embeddings(), n, points.dim());
        int[][] lists = n < exactBelow
                ? exact(unit, n, points.dim(), kk)
                : approximate(unit, n, points.dim(), kk, tables, new SplittableRandom(seed));
        return symmetrize(unit, points.dim(), lists);
    }

    static float[] unitRows(float[] e, int n, int dim) {
        float[] u = new float[e.length];
        IntStream.range(0, n).parallel().forEach(i -> {
            double ss = 0;
            for (int d = 0; d < dim; d++) {
                ss += (double) e[i * dim + d] * e[i * dim + d];
            }
            float inv = ss > 0 ? (float) (1 / Math.sqrt(ss)) : 0f;
            for (int d = 0; d < dim; d++) {
                u[i * dim + d] = e[i * dim + d] * inv;
            }
        });
        return u;
    }

    static float dot(float[] a, int ao, float[] b, int bo, int len) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int d = 0;
        for (; d + 3 < len; d += 4) {
            s0 += a[ao + d] * b[bo + d];
            s1 += a[ao + d + 1] * b[bo + d + 1];
            s2 += a[ao + d + 2] * b[bo + d + 2];
            s3 += a[ao + d + 3] * b[bo + d + 3];
        }
        for (; d < len; d++) {
            s0 += a[ao + d] * b[bo + d];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Brute force: every pair, O(N²·D). */
    static int[][] exact(float[] unit, int n, int dim, int k) {
        int[][] lists = new int[n][];
        IntStream.range(0, n).parallel().forEach(i -> {
            TopK top = new TopK(k);
            for (int j = 0; j < n; j++) {
                if (j != i) {
                    top.offer(j, dot(unit, i * dim, unit, j * dim, dim));
                }
            }
            lists[i] = top.indices();
        });
        return lists;
    }

    static int[][] approximate(float[] unit, int n, int dim, int k, int tables, SplittableRandom rng) {
        int m = Math.min(SKETCH_DIM, dim);
        int pool = Math.min(4 * k, n - 1);
        float[] sketch = sketch(unit, n, dim, m, rng);
        int[][] order = new int[tables][];
        for (int t = 0; t < tables; t++) {
            order[t] = hashOrder(sketch, n, m, rng);
        }
        int[][] position = new int[tables][n];
        for (int t = 0; t < tables; t++) {
            for (int p = 0; p < n; p++) {
                position[t][order[t][p]] = p;
            }
        }
        int[][] initial = new int[n][];
        IntStream.range(0, n).parallel().forEach(i -> {
            int[] candidates = new int[tables * 2 * k];
            int c = 0;
            for (int t = 0; t < tables; t++) {
                int p = position[t][i];
                for (int q = Math.max(0, p - k); q <= Math.min(n - 1, p + k); q++) {
                    if (q != p) {
                        candidates[c++] = order[t][q];
                    }
                }
            }
            initial[i] = best(sketch, m, i, candidates, c, pool);
        });
        int[][] lists = initial;
        for (int round = 0; round < REFINE_ROUNDS; round++) {
            lists = refine(sketch, m, lists, k, pool);
        }
        // the sketch only ranks candidates; the final choice uses the exact cosine
        int[][] pools = lists;
        int[][] out = new int[n][];
        IntStream.range(0, n).parallel().forEach(i -> out[i] = best(unit, dim, i, pools[i], pools[i].length, k));
        return out;
    }

    /**
     * One round of neighbour-of-neighbour search (the NN-descent idea): a point's neighbours' neighbours are likely
     * its own. Reads the old lists only, so the result does not depend on thread scheduling.
     */
    private static int[][] refine(float[] sketch, int m, int[][] lists, int k, int pool) {
        int n = lists.length;
        int[][] next = new int[n][];
        IntStream.range(0, n).parallel().forEach(i -> {
            int[] own = lists[i];
            int near = Math.min(k, own.length);
            // the whole pool, plus the k best of each of the k best: O(k²) candidates
            int[] candidates = new int[own.length + near * k];
            int c = 0;
            for (int j : own) {
                candidates[c++] = j;
            }
            for (int b = 0; b < near; b++) {
                int[] theirs = lists[own[b]];
                for (int a = 0; a < Math.min(k, theirs.length); a++) {
                    if (theirs[a] != i) {
                        candidates[c++] = theirs[a];
                    }
                }
            }
            next[i] = best(sketch, m, i, candidates, c, pool);
        });
        return next;
    }

    /** The {@code keep} candidates (duplicates ignored) with the largest dot product with row i, best first. */
    private static int[] best(float[] rows, int width, int i, int[] candidates, int count, int keep) {
        Arrays.sort(candidates, 0, count);
        TopK top = new TopK(keep);
        for (int a = 0; a < count; a++) {
            if (a == 0 || candidates[a] != candidates[a - 1]) {
                int j = candidates[a];
                top.offer(j, dot(rows, i * width, rows, j * width, width));
            }
        }
        return top.indices();
    }

    /** Rows times a Gaussian [dim × m] matrix (identity when m = dim would be pointless work, so it is skipped). */
    private static float[] sketch(float[] unit, int n, int dim, int m, SplittableRandom rng) {
        if (m == dim) {
            return unit;
        }
        float[] g = new float[m * dim];
        for (int i = 0; i < g.length; i++) {
            g[i] = (float) rng.nextGaussian();
        }
        float[] s = new float[n * m];
        IntStream.range(0, n).parallel().forEach(i -> {
            for (int c = 0; c < m; c++) {
                s[i * m + c] = dot(unit, i * dim, g, c * dim, dim);
            }
        });
        return unitRows(s, n, m);
    }

    /** Points ordered by a sign code of random hyperplanes (ties by index). */
    private static int[] hashOrder(float[] sketch, int n, int m, SplittableRandom rng) {
        float[] planes = new float[CODE_BITS * m];
        for (int i = 0; i < planes.length; i++) {
            planes[i] = (float) rng.nextGaussian();
        }
        long[] keys = new long[n];
        IntStream.range(0, n).parallel().forEach(i -> {
            long code = 0;
            for (int b = 0; b < CODE_BITS; b++) {
                code = (code << 1) | (dot(sketch, i * m, planes, b * m, m) >= 0 ? 1 : 0);
            }
            keys[i] = (code << 32) | i;
        });
        Arrays.sort(keys);
        int[] order = new int[n];
        for (int p = 0; p < n; p++) {
            order[p] = (int) keys[p];
        }
        return order;
    }

    /** Union of both directions, rows sorted by index, weights = exact cosine on the unit rows. */
    private static SimilarityGraph symmetrize(float[] unit, int dim, int[][] lists) {
        int n = lists.length;
        int[] degree = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j : lists[i]) {
                degree[i]++;
                degree[j]++;
            }
        }
        int[][] rows = new int[n][];
        for (int i = 0; i < n; i++) {
            rows[i] = new int[degree[i]];
        }
        int[] fill = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j : lists[i]) {
                rows[i][fill[i]++] = j;
                rows[j][fill[j]++] = i;
            }
        }
        int[] offsets = new int[n + 1];
        for (int i = 0; i < n; i++) {
            Arrays.sort(rows[i]);
            int unique = 0;
            for (int a = 0; a < rows[i].length; a++) {
                if (a == 0 || rows[i][a] != rows[i][a - 1]) {
                    rows[i][unique++] = rows[i][a];
                }
            }
            rows[i] = Arrays.copyOf(rows[i], unique);
            offsets[i + 1] = offsets[i] + unique;
        }
        int[] neighbours = new int[offsets[n]];
        float[] weights = new float[offsets[n]];
        IntStream.range(0, n).parallel().forEach(i -> {
            int o = offsets[i];
            for (int j : rows[i]) {
                neighbours[o] = j;
                weights[o] = dot(unit, i * dim, unit, j * dim, dim);
                o++;
            }
        });
        return new SimilarityGraph(offsets, neighbours, weights);
    }

    /** The k largest scores seen (ties to the lower index), as a small insertion-sorted buffer. */
    private static final class TopK {
        private final int[] index;
        private final float[] score;
        private int size;

        TopK(int k) {
            index = new int[k];
            score = new float[k];
        }

        void offer(int j, float s) {
            int k = index.length;
            if (size == k && !(s > score[k - 1])) {
                return;
            }
            int p = size < k ? size++ : k - 1;
            while (p > 0 && s > score[p - 1]) {
                index[p] = index[p - 1];
                score[p] = score[p - 1];
                p--;
            }
            index[p] = j;
            score[p] = s;
        }

        int[] indices() {
            return Arrays.copyOf(index, size);
        }
    }
}
