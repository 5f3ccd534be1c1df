package dev.blt.waterfill.core;

import java.util.Arrays;

/** Sorts point indices by a float score, ties by index, in O(N log N) without boxing. */
public final class Ranking {
    private Ranking() {
    }

    /**
     * Indices ordered by score (ascending or descending), equal scores by ascending index.
     * Each (score, index) pair is packed into one long so that a primitive sort does the work.
     */
    public static int[] order(float[] score, boolean descending) {
        int n = score.length;
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = ((long) key(score[i], descending) << 32) | i;
        }
        if (n > 1 << 16) {
            Arrays.parallelSort(keys);
        } else {
            Arrays.sort(keys);
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = (int) keys[i];
        }
        return order;
    }

    /**
     * The sort key of a score: ascending signed order of the keys is the fill order (ties are left to the caller,
     * which breaks them by index). Public so that a distributed sort ranks exactly as {@link #order} does.
     */
    public static int key(float score, boolean descending) {
        int k = sortable(score);
        return descending ? ~k : k;
    }

    /** An int whose signed order is the numeric order of the float (NaN excluded by the caller). */
    static int sortable(float f) {
        int bits = Float.floatToIntBits(f);
        return bits ^ ((bits >> 31) & 0x7fffffff);
    }
}
