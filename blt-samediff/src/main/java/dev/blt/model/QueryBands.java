package dev.blt.model;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Attention by bands of queries: a chunk's queries split into {@link #COUNT} bands, each attending only over the keys
 * its queries may reach: from where the sliding window (if any) lets its first query see, up to its last query's own
 * key. A causal chunk of C queries after P cached keys then scores about C * (P + C) * (1 + 1 / COUNT) / 2 pairs
 * instead of C * (P + C), fewer still where the window cuts a band's keys: 37 % fewer for 512 queries after a
 * 511-key window, 50 % for 1,024. Keys left out are ones the mask blocks (-inf, weight 0), so the result is the same
 * attention.
 */
final class QueryBands {
    static final int COUNT = 4;
    /**
     * Chunks shorter than this attend unbanded: shorter ones gain too little for the extra ops.
     */
    static final int MIN_QUERIES = COUNT * 128;

    private QueryBands() {
    }

    static boolean applies(int queries) {
        return queries >= MIN_QUERIES;
    }

    /**
     * The band masks ({@link GraphNames#maskBand}) cut from {@code mask}, [b, 1, queries, cached + queries] in c
     * order, whose key axis holds {@code cached} cache columns (row r's {@code rowCached[r]} keys, consecutive
     * positions ending just before the chunk's first query, left-aligned) and then the chunk's own keys. A band's
     * keys start where the window (null: none) lets its first query see, in the row that sees furthest back: by
     * position, not by the mask's documents, so that the bands' shapes depend only on the call's geometry and
     * calls of one geometry replay one plan.
     */
    static Map<String, INDArray> masks(float[] mask, int b, int queries, int cached, int[] rowCached,
                                       Integer window) {
        int keys = cached + queries;
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (int i = 0; i < COUNT; i++) {
            int qBegin = (int) ((long) i * queries / COUNT);
            int qEnd = (int) ((long) (i + 1) * queries / COUNT);
            int kEnd = cached + qEnd;
            int kBegin = 0;
            if (window != null) {
                int back = qBegin - (window - 1); // the band's earliest visible key, relative to the chunk's first
                kBegin = kEnd;
                for (int r = 0; r < b; r++) {
                    kBegin = Math.min(kBegin, back >= 0 ? cached + back : Math.max(0, rowCached[r] + back));
                }
            }
            int n = qEnd - qBegin;
            int m = kEnd - kBegin;
            float[] band = new float[b * n * m];
            for (int r = 0; r < b; r++) {
                for (int q = 0; q < n; q++) {
                    System.arraycopy(mask, (r * queries + qBegin + q) * keys + kBegin, band, (r * n + q) * m, m);
                }
            }
            out.put(GraphNames.maskBand(i), Nd4j.create(band, new long[]{b, 1, n, m}, 'c'));
        }
        return out;
    }
}
