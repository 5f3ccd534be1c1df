package dev.blt.model;

import dev.blt.graph.GraphResult;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs whole sequences through the model: each row independently (positions from 0, no context shared between
 * rows), long rows in chunks ({@link #chunkFor}) with the keys of earlier chunks carried in a cache, so that
 * the result equals one pass over the whole row under the model's attention rule, in O(S * window) memory
 * for a sliding-window model.
 *
 * <p>Owns its {@link ScoringStreams} threads, freed by {@link #close}; not the model, which stays its builder's to
 * close (several scorers may share one model).
 */
public final class SequenceScorer implements AutoCloseable {
    /**
     * Additive mask value. -inf rather than a large finite number: libm's expf returns 0 for -inf at once but takes
     * its slow underflow path (errno) for finite arguments below -104, and half the score block is masked. No row
     * is ever all -inf (every query attends at least itself), so softmax stays NaN-free.
     */
    static final float BLOCKED = Float.NEGATIVE_INFINITY;
    /** Tokens per row per call by default, at most, for a sliding-window model (twice that for a lone sequence). */
    public static final int MAX_WINDOWED_CHUNK = 1024;
    private final LMTransformer model;
    private final ModelConfig c;
    private final int chunkSize;
    private final int loneChunkSize;
    private final boolean chunkGiven;
    /** Under bf16, rows per linear-layer product at most (see {@link #perCall}); 0 otherwise. */
    private final int bf16Rows;
    private final Rope rope;
    private final AttentionRule rule;
    private final ScoringStreams streams;
    private volatile boolean closed;

    public SequenceScorer(LMTransformer model, int chunkSize) {
        this(model, chunkSize, 1);
    }

    /**
     * @param chunk   tokens per row per call; null: the model's defaults ({@link #chunkFor})
     * @param streams how many threads score separate rows of a batch at once (1: the calling thread only), the
     *                process's native threads ({@link NativeThreads}) divided among them
     */
    public SequenceScorer(LMTransformer model, Integer chunk, int streams) {
        if (chunk != null && chunk < 1) {
            throw new IllegalArgumentException("chunk size must be positive");
        }
        this.model = model;
        this.c = model.config();
        Integer w = c.effectiveWindow();
        // a window's worth keeps attention O(S * window); a lone sequence goes two windows at a time: with
        // QueryBands each band still attends over about a window, and the projections run on more rows at once.
        // Batches keep one window: rows x chunk sets their memory. A wide window is not a wider chunk: a query
        // attends over the window whatever the chunk, but the scores of a call grow as chunk x (chunk + window).
        int base = Math.min(c.maxSeqlen(),
                w == null ? c.maxSeqlen() : Math.min(Math.max(w, 256), MAX_WINDOWED_CHUNK));
        this.chunkSize = chunk != null ? chunk : base;
        this.loneChunkSize = chunk != null ? chunk : Math.min(c.maxSeqlen(), 2 * base);
        this.chunkGiven = chunk != null;
        // oneDNN's bf16 GEMM (the version ND4J M2.1 bundles) switches to a several times slower kernel once a
        // product has 2^22 elements or more: keep every product of a call below that by taking fewer tokens per row
        this.bf16Rows = model.precision() == Precision.BF16
                ? Math.max(1, (1 << 21) / Math.max(c.ffnHidden(), Math.max(c.dim(), c.nHeads() * c.headDim()))) : 0;
        this.rope = new Rope(c.headDim(), c.ropeTheta());
        this.rule = AttentionRule.of(c);
        this.streams = new ScoringStreams(streams);
    }

    /** Scoring streams by default: two where there are two cores or more (one leaves cores idle between ops). */
    public static int defaultStreams() {
        return Runtime.getRuntime().availableProcessors() >= 2 ? 2 : 1;
    }

    /**
     * Tokens per row per call when scoring {@code sequences} sequences together, split evenly over the streams: the
     * chunk given, else for windowed models the window (at least 256, at most {@link #MAX_WINDOWED_CHUNK}) and, for
     * a lone sequence, twice that; max_seqlen for the others; under bf16 less where the rows of a call would exceed
     * {@link #bf16Rows} tokens.
     */
    public int chunkFor(int sequences) {
        return perCall(baseChunk(sequences), (sequences + streams.count() - 1) / streams.count());
    }

    private int baseChunk(int sequences) {
        return sequences == 1 ? loneChunkSize : chunkSize;
    }

    /** The chunk for a call over {@code rows} rows: as given, or under bf16 at most {@link #bf16Rows} tokens in all. */
    private int perCall(int chunk, int rows) {
        return chunkGiven || bf16Rows == 0 ? chunk : Math.max(1, Math.min(chunk, bf16Rows / rows));
    }

    public Scores score(int[] tokens, Set<Output> wanted) {
        return scoreBatch(List.of(tokens), wanted).get(0);
    }

    /**
     * Scores several sequences, batching them into shared forward passes (split over the scorer's streams); each
     * row sees only itself.
     */
    public List<Scores> scoreBatch(List<int[]> sequences, Set<Output> wanted) {
        List<ScoreSink.Collector> all = new ArrayList<>();
        for (int[] t : sequences) {
            all.add(new ScoreSink.Collector(t.length, c, wanted.isEmpty() ? EnumSet.of(Output.ENTROPIES) : wanted));
        }
        scoreBatch(sequences, wanted, all);
        return all.stream().map(ScoreSink.Collector::scores).toList();
    }

    /**
     * As {@link #scoreBatch(List, Set)}, handing each row's results to its sink a chunk at a time instead of keeping
     * them: memory then depends on the batch and the window, not on the rows' lengths.
     */
    public void scoreBatch(List<int[]> sequences, Set<Output> wanted, List<? extends ScoreSink> sinks) {
        if (sinks.size() != sequences.size()) {
            throw new IllegalArgumentException(sequences.size() + " sequences but " + sinks.size() + " sinks");
        }
        if (closed) {
            throw new IllegalStateException("scorer used after close");
        }
        List<RowState> rows = new ArrayList<>();
        for (int i = 0; i < sequences.size(); i++) {
            checkTokens(sequences.get(i));
            rows.add(new RowState(sequences.get(i), c.eosId(), c, sinks.get(i)));
        }
        List<RowState> active = rows.stream().filter(r -> r.remaining() > 0).toList();
        int chunk = baseChunk(sequences.size());
        try {
            streams.run(active, group -> runToEnd(group, chunk, wanted));
        } finally {
            rows.forEach(RowState::release);
        }
    }

    /** Stops the scoring threads; the model stays open. Idempotent. */
    @Override
    public void close() {
        closed = true;
        streams.close();
    }

    private void runToEnd(List<RowState> rows, int chunk, Set<Output> wanted) {
        List<RowState> active = new ArrayList<>(rows);
        int perCall = perCall(chunk, rows.size());
        while (!active.isEmpty()) {
            step(active, perCall, wanted);
            active.removeIf(r -> r.remaining() == 0);
        }
    }

    private void checkTokens(int[] tokens) {
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] < 0 || tokens[i] >= c.vocabSize()) {
                throw new IllegalArgumentException("token " + tokens[i] + " at position " + i
                        + " is outside the vocabulary [0, " + c.vocabSize() + ")");
            }
        }
    }

    private void step(List<RowState> rows, int chunk, Set<Output> wanted) {
        int b = rows.size();
        int hd = c.headDim();
        int[] lens = new int[b];
        int len = 0;
        int cached = 0;
        for (int r = 0; r < b; r++) {
            lens[r] = Math.min(chunk, rows.get(r).remaining());
            len = Math.max(len, lens[r]);
            cached = Math.max(cached, rows.get(r).cached());
        }
        int keys = cached + len;
        int[] tokens = new int[b * len];
        float[] cos = new float[b * len * hd];
        float[] sin = new float[b * len * hd];
        float[] mask = new float[b * len * keys];
        Arrays.fill(mask, BLOCKED);
        for (int r = 0; r < b; r++) {
            fillRow(rows.get(r), r, lens[r], len, cached, tokens, cos, sin, mask);
        }
        Map<String, INDArray> in = new HashMap<>();
        Set<INDArray> borrowed = Collections.newSetFromMap(new IdentityHashMap<>());
        in.put(GraphNames.TOKENS, Nd4j.createFromArray(tokens).reshape(b, len));
        in.put(GraphNames.ROPE_COS, inModelType(Nd4j.create(cos, new long[]{b, len, 1, hd}, 'c')));
        in.put(GraphNames.ROPE_SIN, inModelType(Nd4j.create(sin, new long[]{b, len, 1, hd}, 'c')));
        if (QueryBands.applies(len)) {
            int[] rowCached = rows.stream().mapToInt(RowState::cached).toArray();
            QueryBands.masks(mask, b, len, cached, rowCached, rule.window())
                    .forEach((name, band) -> in.put(name, inModelType(band)));
        } else {
            in.put(GraphNames.MASK, inModelType(Nd4j.create(mask, new long[]{b, 1, len, keys}, 'c')));
        }
        List<String> outs = new ArrayList<>();
        for (Output o : wanted) {
            outs.add(o.graphName);
        }
        boolean continues = false;
        for (int r = 0; r < b; r++) {
            continues |= lens[r] < rows.get(r).remaining();
        }
        for (int l = 0; l < c.nLayers(); l++) {
            if (cached > 0) { // no cache at all (first chunks) runs the graph without one
                in.put(GraphNames.keyCache(l), cacheTensor(rows, l, true, cached, borrowed));
                in.put(GraphNames.valueCache(l), cacheTensor(rows, l, false, cached, borrowed));
            }
            // keys and values asked for are held until the result is closed (and SameDiff's own calls hand them out
            // for good): ask only when needed
            if (continues) {
                outs.add(GraphNames.keys(l));
                outs.add(GraphNames.values(l));
            }
        }
        try (GraphResult out = model.run(in, outs)) {
            int keep = rule.keysToKeep();
            for (int r = 0; r < b; r++) {
                RowState row = rows.get(r);
                copyResults(out, row, r, lens[r]);
                if (lens[r] < row.remaining()) {
                    for (int l = 0; l < c.nLayers(); l++) {
                        row.extendCache(l, rowSlice(out.get(GraphNames.keys(l)), r, lens[r]),
                                rowSlice(out.get(GraphNames.values(l)), r, lens[r]), keep);
                    }
                }
                row.advance(lens[r], keep);
            }
        }
        for (INDArray a : in.values()) {
            if (!borrowed.contains(a)) {
                closeQuietly(a);
            }
        }
        NativeGarbage.PROCESS.check();
    }

    private void fillRow(RowState row, int r, int n, int len, int cached, int[] tokens, float[] cos, float[] sin,
                         float[] mask) {
        int hd = c.headDim();
        int keys = cached + len;
        for (int i = 0; i < len; i++) {
            int maskRow = (r * len + i) * keys;
            if (i >= n) {
                mask[maskRow + cached + i] = 0f; // padding query: attend to itself only; its output is dropped
                continue;
            }
            int pos = row.done + i;
            tokens[r * len + i] = row.tokens[pos];
            rope.fill(pos, cos, sin, (r * len + i) * hd);
            int doc = row.documents[pos];
            for (int j = 0; j < row.cached(); j++) {
                if (rule.allows(pos, doc, row.cachedPositions[j], row.cachedDocument(j))) {
                    mask[maskRow + j] = 0f;
                }
            }
            for (int j = 0; j < n; j++) {
                int keyPos = row.done + j;
                if (rule.allows(pos, doc, keyPos, row.documents[keyPos])) {
                    mask[maskRow + cached + j] = 0f;
                }
            }
        }
    }

    /**
     * [B, n_kv_heads, P, head_dim] with each row's cache left-aligned and zeros (masked out) after it. A lone row's
     * full cache is passed as it is, without a copy, and recorded in {@code borrowed}: the row still owns it.
     */
    private INDArray cacheTensor(List<RowState> rows, int layer, boolean keys, int cached, Set<INDArray> borrowed) {
        INDArray own = keys ? rows.get(0).keys[layer] : rows.get(0).values[layer];
        if (rows.size() == 1 && own != null && own.size(1) == cached) {
            INDArray whole = own.reshape(1, own.size(0), cached, own.size(2));
            borrowed.add(whole);
            return whole;
        }
        INDArray t = Nd4j.zeros(model.dtype(), rows.size(), c.kvHeads(), cached, c.headDim());
        for (int r = 0; r < rows.size(); r++) {
            INDArray src = keys ? rows.get(r).keys[layer] : rows.get(r).values[layer];
            if (src != null) {
                t.get(NDArrayIndex.point(r), NDArrayIndex.all(), NDArrayIndex.interval(0, src.size(1)), NDArrayIndex.all())
                        .assign(src);
            }
        }
        return t;
    }

    private INDArray inModelType(INDArray floats) {
        return model.dtype() == DataType.FLOAT ? floats : floats.castTo(model.dtype());
    }

    /** Row r's first n positions of a [B, KV, C, hd] output, as a view (the cache copies what it keeps). */
    private static INDArray rowSlice(INDArray kv, int r, int n) {
        return kv.get(NDArrayIndex.point(r), NDArrayIndex.all(), NDArrayIndex.interval(0, n), NDArrayIndex.all());
    }

    private void copyResults(GraphResult out, RowState row, int r, int n) {
        row.sink.accept(row.done, new Scores(n, copy(out.get(GraphNames.LOGITS), r, n, c.vocabSize()),
                copy(out.get(GraphNames.PRENORM), r, n, c.dim()), copy(out.get(GraphNames.NORMS), r, n, 1),
                copy(out.get(GraphNames.ENTROPIES), r, n, 1)));
    }

    /** Row r's first n positions of an output, as floats; null when the output was not asked for. */
    private static float[] copy(INDArray src, int r, int n, int width) {
        if (src == null) {
            return null;
        }
        INDArray rowView = width == 1
                ? src.get(NDArrayIndex.point(r), NDArrayIndex.interval(0, n))
                : src.get(NDArrayIndex.point(r), NDArrayIndex.interval(0, n), NDArrayIndex.all());
        // freed at once: left to the GC, every chunk's copies would pile up as native memory
        INDArray floats = rowView.castTo(DataType.FLOAT);
        INDArray dense = floats.dup('c');
        float[] out = dense.data().asFloat();
        closeQuietly(dense);
        if (floats != rowView) {
            closeQuietly(floats);
        }
        return out;
    }

    private static void closeQuietly(INDArray a) {
        if (a != null && a.closeable()) {
            a.close();
        }
    }
}
