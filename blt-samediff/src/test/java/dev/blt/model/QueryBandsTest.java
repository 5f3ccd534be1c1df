package dev.blt.model;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class QueryBandsTest {
    /**
     * Row r's mask over [cache ; chunk]: {@code rowCached[r]} cached keys (positions just before the chunk's, at
     * 100), then {@code queries} new ones, under a window of 3 and a document boundary after position 104.
     */
    private static float[] mask(int queries, int cached, int[] rowCached) {
        AttentionRule rule = new AttentionRule(3, true);
        int keys = cached + queries;
        float[] mask = new float[rowCached.length * queries * keys];
        java.util.Arrays.fill(mask, SequenceScorer.BLOCKED);
        for (int r = 0; r < rowCached.length; r++) {
            for (int q = 0; q < queries; q++) {
                for (int k = 0; k < keys; k++) {
                    boolean cacheColumn = k < cached;
                    if (cacheColumn && k >= rowCached[r]) {
                        continue; // the row's cache is shorter: blocked padding
                    }
                    long keyPos = cacheColumn ? 100 - rowCached[r] + k : 100 + k - cached;
                    long queryPos = 100 + q;
                    if (rule.allows(queryPos, queryPos > 104 ? 1 : 0, keyPos, keyPos > 104 ? 1 : 0)) {
                        mask[(r * queries + q) * keys + k] = 0f;
                    }
                }
            }
        }
        return mask;
    }

    /**
     * 8 queries after 2 cached keys, window 3: query q sees columns q .. q + 2. Four bands of two queries; band i's
     * keys run from column 2i (its first query's first key) to 2i + 3 (its last query's own), whatever the
     * document boundary blocks inside them: [1, 1, 2, 4] each, the mask's rows 2i, 2i + 1 and those columns.
     */
    @Test
    void eachBandKeepsTheKeysItsWindowReaches() {
        int queries = 8;
        int keys = 10;
        float[] mask = mask(queries, 2, new int[]{2});
        Map<String, INDArray> bands = QueryBands.masks(mask, 1, queries, 2, new int[]{2}, 3);
        assertEquals(QueryBands.COUNT, bands.size());
        for (int i = 0; i < QueryBands.COUNT; i++) {
            INDArray band = bands.get(GraphNames.maskBand(i));
            assertArrayEquals(new long[]{1, 1, 2, 4}, band.shape());
            for (int q = 0; q < 2; q++) {
                int row = 2 * i + q;
                int seen = 0;
                for (int k = 0; k < keys; k++) {
                    seen += mask[row * keys + k] == 0f ? 1 : 0;
                }
                int kept = 0;
                for (int k = 0; k < 4; k++) {
                    assertEquals(mask[row * keys + 2 * i + k], band.getFloat(0, 0, q, k), "band " + i);
                    kept += band.getFloat(0, 0, q, k) == 0f ? 1 : 0;
                }
                assertEquals(seen, kept, "query " + row + " sees a key outside its band");
            }
        }
    }

    /**
     * Two rows whose caches differ (1 and 2 keys, left-aligned in 2 columns): band 1 (query 1) reaches back one
     * position, which is column 0 for the row with one cached key and column 1 for the other: the band starts
     * at 0. Band 3 (query 3) reaches back to the chunk's second key: columns 3 to 5.
     */
    @Test
    void aBandStartsWhereTheRowThatSeesFurthestBackStarts() {
        int[] rowCached = {1, 2};
        float[] mask = mask(4, 2, rowCached);
        Map<String, INDArray> bands = QueryBands.masks(mask, 2, 4, 2, rowCached, 3);
        float b = SequenceScorer.BLOCKED;
        assertArrayEquals(new long[]{2, 1, 1, 4}, bands.get(GraphNames.maskBand(1)).shape());
        assertArrayEquals(new float[]{0, b, 0, 0, b, 0, 0, 0}, bands.get(GraphNames.maskBand(1)).data().asFloat());
        assertArrayEquals(new long[]{2, 1, 1, 3}, bands.get(GraphNames.maskBand(3)).shape());
        assertArrayEquals(new float[]{0, 0, 0, 0, 0, 0}, bands.get(GraphNames.maskBand(3)).data().asFloat());
    }
}
