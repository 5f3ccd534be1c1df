package dev.blt.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** One sequence moving through the model chunk by chunk: its tokens, results so far and per-layer key cache. */
final class RowState {
    final int[] tokens;
    final int[] documents;
    final ScoreSink sink;
    int done;
    /** Per layer [n_kv_heads, P, head_dim]; null before the first chunk. */
    INDArray[] keys;
    INDArray[] values;
    long[] cachedPositions = new long[0];

    RowState(int[] tokens, int eosId, ModelConfig c, ScoreSink sink) {
        this.tokens = tokens;
        this.documents = documentIndex(tokens, eosId);
        this.sink = sink;
        keys = new INDArray[c.nLayers()];
        values = new INDArray[c.nLayers()];
    }

    /** Document of each position: EOS closes its document, so the next one starts after it. */
    static int[] documentIndex(int[] tokens, int eosId) {
        int[] doc = new int[tokens.length];
        int d = 0;
        for (int i = 0; i < tokens.length; i++) {
            doc[i] = d;
            if (tokens[i] == eosId) {
                d++;
            }
        }
        return doc;
    }

    int remaining() {
        return tokens.length - done;
    }

    int cached() {
        return cachedPositions.length;
    }

    int cachedDocument(int j) {
        return documents[(int) cachedPositions[j]];
    }

    /**
     * Appends a chunk's keys/values ([n_kv_heads, n, head_dim], views of the graph's outputs, which the caller
     * closes) and drops what no later query can see; what is kept is copied out. Replaced arrays are closed at once:
     * ND4J would otherwise free their native memory only when the GC runs, and the Java heap here stays too small to
     * make it run often.
     */
    void extendCache(int layer, INDArray newKeys, INDArray newValues, int keep) {
        keys[layer] = append(keys[layer], newKeys, keep);
        values[layer] = append(values[layer], newValues, keep);
    }

    private static INDArray append(INDArray cache, INDArray fresh, int keep) {
        if (cache == null || (keep >= 0 && fresh.size(1) >= keep)) {
            // a chunk as long as the window leaves nothing of the old cache in view: no concatenation
            if (cache != null) {
                close(cache);
            }
            return last(fresh, keep).dup('c');
        }
        INDArray all = Nd4j.concat(1, cache, fresh);
        close(cache);
        INDArray kept = last(all, keep);
        if (kept == all) {
            return all;
        }
        INDArray copy = kept.dup('c');
        close(all);
        return copy;
    }

    private static void close(INDArray a) {
        if (a.closeable()) {
            a.close();
        }
    }

    /** Frees the cache now rather than at the next GC: a failed batch must not leave it behind. */
    void release() {
        for (INDArray[] cache : new INDArray[][]{keys, values}) {
            for (int l = 0; l < cache.length; l++) {
                if (cache[l] != null) {
                    close(cache[l]);
                    cache[l] = null;
                }
            }
        }
    }

    void advance(int n, int keep) {
        long[] all = new long[cachedPositions.length + n];
        System.arraycopy(cachedPositions, 0, all, 0, cachedPositions.length);
        for (int i = 0; i < n; i++) {
            all[cachedPositions.length + i] = done + i;
        }
        cachedPositions = keep < 0 || all.length <= keep ? all
                : java.util.Arrays.copyOfRange(all, all.length - keep, all.length);
        done += n;
    }

    /** The last {@code keep} positions (all when keep < 0 or there are no more), as a view. */
    private static INDArray last(INDArray cache, int keep) {
        long p = cache.size(1);
        if (keep < 0 || p <= keep) {
            return cache;
        }
        return cache.get(NDArrayIndex.all(), NDArrayIndex.interval(p - keep, p), NDArrayIndex.all());
    }
}
