package dev.blt.model;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds upstream's {@code LMTransformer} forward pass as a SameDiff graph that serves every batch size and
 * chunk length. Attention runs over a chunk's keys, after earlier chunks over [cached keys ; chunk keys], under a
 * mask built by the caller, so long inputs stream through in chunks with a bounded key cache instead of an S x S
 * score matrix.
 *
 * <p>Weights become variables named as upstream ({@code layers.0.attention.wq.weight}), stored transposed to
 * {@code [in, out]} so that every linear layer is a plain {@code x @ W} over the activations' rows (see
 * {@link #linear}).
 *
 * <p>The same equations in plain Java, without chunks, caches or bands, are {@link ReferenceForward}; the few ops
 * chosen for speed rather than named by the math are in {@link GraphKernels}.
 */
final class LMTransformerGraph {
    /** What a graph is for: which placeholders it has and what it computes at the end. */
    enum Kind {
        /** Inference over a chunk with no earlier keys: attention over the chunk's own keys only. */
        FRESH,
        /** Inference over a chunk after earlier ones: attention over [key cache ; chunk keys]. */
        CACHED
    }

    private final ModelConfig c;
    private final Precision precision;
    private final DataType dtype;
    private final Kind kind;
    private final Map<String, INDArray> weights;
    private final int bands;
    private final SameDiff sd = GraphKernels.newGraph();
    private SDVariable swapPairs;

    private LMTransformerGraph(ModelConfig c, Precision precision, Kind kind, Map<String, INDArray> weights,
                               int bands) {
        this.c = c;
        this.precision = precision;
        this.dtype = precision.activations();
        this.kind = kind;
        this.weights = weights;
        this.bands = bands;
    }

    /**
     * A graph of the given kind; inference graphs gather the embedding and output logits/entropies/norms, and
     * {@link Kind#CACHED} ones take key/value cache placeholders. Graphs built from the same {@link #weightArrays}
     * share them. With {@code bands} above 1, attention runs per band of queries over only the
     * keys that band may see, each under its own mask ({@link GraphNames#maskBand}) instead of one {@link
     * GraphNames#MASK}: see {@link QueryBands}.
     */
    static SameDiff build(ModelConfig c, Map<String, INDArray> weights, Precision precision, Kind kind, int bands) {
        if (bands < 1) {
            throw new IllegalArgumentException(bands + " query bands");
        }
        return new LMTransformerGraph(c, precision, kind, weights, bands).define();
    }

    /** Linear weights live in the graph as {@code [in, out]}, the transpose of upstream's {@code [out, in]}. */
    static boolean storedTransposed(String name, long[] upstreamShape) {
        return upstreamShape.length == 2 && !name.equals(WeightNames.EMBEDDING);
    }

    /**
     * Every parameter in graph layout (linear weights transposed) and the precision's activation type, by upstream
     * name; for inference graphs with W1 halved (see {@link GraphKernels#siluOfDoubled}) and, under
     * {@link Precision#BF16}, the blocks' linear weights in bfloat16.
     */
    static Map<String, INDArray> weightArrays(ModelWeights w, Precision precision, boolean inference) {
        DataType dtype = precision.activations();
        Map<String, INDArray> arrays = new HashMap<>();
        WeightNames.expected(w.config()).forEach((name, shape) -> {
            INDArray arr = Nd4j.create(w.get(name), shape, 'c');
            if (storedTransposed(name, shape)) {
                arr = replaced(arr, arr.transpose().dup('c'));
            }
            arrays.put(name, dtype == DataType.FLOAT ? arr : replaced(arr, arr.castTo(dtype)));
        });
        if (inference) {
            ModelConfig c = w.config();
            for (int l = 0; l < c.nLayers(); l++) {
                arrays.get(WeightNames.w1(l)).muli(0.5);
                if (precision.bf16Linear()) {
                    for (String name : List.of(WeightNames.wq(l), WeightNames.wk(l), WeightNames.wv(l),
                            WeightNames.wo(l), WeightNames.w1(l), WeightNames.w2(l), WeightNames.w3(l))) {
                        arrays.put(name, replaced(arrays.get(name), arrays.get(name).castTo(DataType.BFLOAT16)));
                    }
                }
            }
        }
        return arrays;
    }

    /** {@code next}, with {@code previous} freed now: ND4J frees native memory otherwise only when the GC runs. */
    private static INDArray replaced(INDArray previous, INDArray next) {
        previous.close();
        return next;
    }

    private SameDiff define() {
        int hd = c.headDim();
        swapPairs = sd.constant("rope_swap_pairs", GraphKernels.pairSwapMatrix(hd).castTo(dtype));
        SDVariable tokens = sd.placeHolder(GraphNames.TOKENS, DataType.INT32, -1, -1);
        SDVariable cos = sd.placeHolder(GraphNames.ROPE_COS, dtype, -1, -1, 1, hd);
        SDVariable sin = sd.placeHolder(GraphNames.ROPE_SIN, dtype, -1, -1, 1, hd);
        SDVariable bc = sd.shape(tokens).castTo(DataType.LONG); // [B, C]
        Shapes shapes = shapes(bc);

        SDVariable emb = weight(WeightNames.EMBEDDING);
        SDVariable x = sd.gather(GraphNames.EMBED, emb, tokens, 0); // [B, C, dim]
        for (int l = 0; l < c.nLayers(); l++) {
            x = block(l, x, shapes, cos, sin);
        }
        SDVariable prenorm = x;
        SDVariable normed = rmsNorm(prenorm, weight(WeightNames.FINAL_NORM));
        // the output layer stays in the activations' type under bf16: it is a sliver of the arithmetic, and the
        // entropies are computed from its logits
        SDVariable logits = sd.reshape(GraphKernels.rows(sd, normed, c.dim()).mmul(weight(WeightNames.OUTPUT)),
                shapes.logits()).rename(GraphNames.LOGITS);
        // log-softmax without a dim argument: the overload with one breaks save/load in ND4J
        SDVariable logp = sd.nn.logSoftmax(logits);
        sd.identity(GraphNames.PRENORM, prenorm);
        prenorm.norm2(GraphNames.NORMS, false, featureAxis());
        logp.rename(GraphNames.LOG_PROBS);
        // entropy through log-softmax as upstream, so that p * log p never meets 0 * -inf
        sd.math.exp(logp).mul(logp).sum(featureAxis()).neg(GraphNames.ENTROPIES);
        return sd;
    }

    /** Pre-norm block: {@code h = x + attention(norm(x)); out = h + ffn(norm(h))}, activations [B, C, dim]. */
    private SDVariable block(int l, SDVariable x, Shapes shapes, SDVariable cos, SDVariable sin) {
        SDVariable an = rmsNorm(x, weight(WeightNames.attentionNorm(l))).rename(GraphNames.layer(l, "attention_norm"));
        SDVariable attn = attention(l, an, shapes, cos, sin).rename(GraphNames.layer(l, "attention"));
        SDVariable h = x.add(attn);
        SDVariable fn = rmsNorm(h, weight(WeightNames.ffnNorm(l))).rename(GraphNames.layer(l, "ffn_norm"));
        SDVariable fnRows = linearInput(fn, c.dim());
        SDVariable gateIn = linear(fnRows, WeightNames.w1(l), shapes.hidden());
        SDVariable up = linear(fnRows, WeightNames.w3(l), shapes.hidden());
        SDVariable gate = GraphKernels.siluOfDoubled(sd, gateIn);
        SDVariable ffn = linear(linearInput(gate.mul(up), c.ffnHidden()), WeightNames.w2(l), shapes.model())
                .rename(GraphNames.layer(l, "feed_forward"));
        return h.add(GraphNames.layer(l, "out"), ffn);
    }

    private SDVariable attention(int l, SDVariable x, Shapes shapes, SDVariable cos, SDVariable sin) {
        int hd = c.headDim();
        // q, k and v come out of their products shaped in heads, [B, C, n, hd]
        SDVariable xRows = linearInput(x, c.dim());
        SDVariable q = rope(linear(xRows, WeightNames.wq(l), shapes.queries()), shapes.queries(), cos, sin)
                .rename(GraphNames.layer(l, "q_rope"));
        SDVariable k = rope(linear(xRows, WeightNames.wk(l), shapes.keys()), shapes.keys(), cos, sin)
                .rename(GraphNames.layer(l, "k_rope"));
        SDVariable v = linear(xRows, WeightNames.wv(l), shapes.keys());

        SDVariable kNew = sd.permute(GraphNames.keys(l), k, 0, 2, 1, 3);   // [B, KV, C, hd]
        SDVariable vNew = sd.permute(GraphNames.values(l), v, 0, 2, 1, 3);
        SDVariable keys = kNew;                                           // [B, KV, P+C, hd]; P = 0 unless CACHED
        SDVariable vals = vNew;
        if (kind == Kind.CACHED) {
            keys = sd.concat(2, cachePlaceholder(GraphNames.keyCache(l)), kNew);
            vals = sd.concat(2, cachePlaceholder(GraphNames.valueCache(l)), vNew);
        }
        // Scaling q (C x hd values) instead of the scores (C x keys) is exact for a power-of-two head_dim; scaling
        // it before its permute lets the permute reach the matmuls alone, so that plans take it as a view (and the
        // bands' slices of it and of the keys too).
        SDVariable qPerHead = sd.permute(q.mul(1.0 / Math.sqrt(hd)), 0, 2, 1, 3);
        List<SDVariable> outs = new ArrayList<>();
        for (Band band : shapes.bands()) {
            outs.add(band.keyBegin() == null ? attend(qPerHead, keys, vals, band)
                    : attend(sd.slice(qPerHead, band.queryBegin(), band.headOutputs()),
                    sd.slice(keys, band.keyBegin(), band.keySize()), sd.slice(vals, band.keyBegin(), band.keySize()),
                    band));
        }
        SDVariable perHeadOut = outs.size() == 1 ? outs.get(0) : sd.concat(2, outs.toArray(new SDVariable[0]));
        SDVariable heads4 = sd.permute(perHeadOut, 0, 2, 1, 3);                          // [B, C, heads, hd]
        return linear(linearInput(heads4, (long) c.nHeads() * hd), WeightNames.wo(l), shapes.model());
    }

    /**
     * Softmax attention of queries [B, heads, n, hd] over keys and values [B, KV, m, hd] under the band's mask, out
     * as [B, heads, n, hd]. Query head h uses KV head h / n_rep (upstream repeat_kv is repeat-interleave): grouping
     * the n_rep query heads of one KV head into its rows lets a single batched matmul serve them without copying
     * K, V. Without grouping (rep = 1) the grouped and per-head layouts coincide: skip the reshapes, each a full copy.
     */
    private SDVariable attend(SDVariable queries, SDVariable keys, SDVariable vals, Band band) {
        boolean grouping = c.nHeads() != c.kvHeads();
        SDVariable qg = grouping ? sd.reshape(queries, band.groupedQueries()) : queries;
        SDVariable scores = sd.mmul(qg, keys, false, true, false);                        // [B, KV, rep*n, m]
        SDVariable perHead = grouping ? sd.reshape(scores, band.scores()) : scores;
        SDVariable probs = sd.nn.softmax(perHead.add(band.mask()), -1);
        SDVariable grouped = grouping ? sd.reshape(probs, band.groupedScores()) : probs;
        SDVariable out = sd.mmul(grouped, vals);                                          // [B, KV, rep*n, hd]
        return grouping ? sd.reshape(out, band.headOutputs()) : out;
    }

    /** A cache placeholder ([B, KV, P, hd]), made on first use: layer 0's key cache also gives the bands P. */
    private SDVariable cachePlaceholder(String name) {
        return sd.hasVariable(name) ? sd.getVariable(name)
                : sd.placeHolder(name, dtype, -1, c.kvHeads(), -1, c.headDim());
    }

    /**
     * A block's linear layers' input: x's rows ({@code [B * C, features]}; o's x is in heads, [B, C, heads, hd]),
     * in bfloat16 under {@link Precision#BF16}. Made once per input and shared by the layers that read it (q, k and
     * v; w1 and w3).
     */
    private SDVariable linearInput(SDVariable x, long features) {
        return GraphKernels.rows(sd, precision.bf16Linear() ? x.castTo(DataType.BFLOAT16) : x, features);
    }

    /** A block's linear layer, {@code rows W}, in the activations' type and shaped as {@code shape}. */
    private SDVariable linear(SDVariable rows, String name, SDVariable shape) {
        SDVariable product = rows.mmul(weight(name));
        return sd.reshape(precision.bf16Linear() ? product.castTo(dtype) : product, shape);
    }

    /** The activations' feature axis. */
    private int featureAxis() {
        return 2;
    }

    /** Interleaved-pair RoPE: {@code x * cos + swapPairs(x) * sinSigned} on [B, C, heads, hd] ({@code shape}). */
    private SDVariable rope(SDVariable x, SDVariable shape, SDVariable cos, SDVariable sin) {
        SDVariable swapped = sd.reshape(sd.reshape(x, -1, c.headDim()).mmul(swapPairs), shape);
        return x.mul(cos).add(swapped.mul(sin));
    }

    private SDVariable rmsNorm(SDVariable x, SDVariable gain) {
        SDVariable meanSquare = sd.math.square(x).mean(true, featureAxis());
        return x.mul(sd.math.rsqrt(meanSquare.add(c.normEps()))).mul(gain);
    }

    /** A variable holding an upstream tensor, in graph layout. */
    private SDVariable weight(String name) {
        return sd.var(name, weights.get(name));
    }

    /**
     * The dynamic shapes attention reshapes to, built once per graph rather than once per layer: every layer sees the
     * same batch, chunk and key counts, and each shape op costs a dispatch per call: the linear layers' outputs
     * ({@code queries}/{@code keys} in heads, {@code model} [B, C, dim], {@code hidden} [B, C, ffn hidden],
     * {@code logits} [B, C, vocab]) and the bands'.
     */
    private record Shapes(SDVariable queries, SDVariable keys, SDVariable model, SDVariable hidden,
                          SDVariable logits, List<Band> bands) {
    }

    /**
     * A band of queries and the keys it attends over: its mask [B, 1, n, m] (n queries from {@code queryBegin}, m
     * keys from {@code keyBegin}), where to slice them (null for the one band of a graph without bands: all of
     * them), and the shapes its attention reshapes to.
     */
    private record Band(SDVariable mask, SDVariable queryBegin, SDVariable keyBegin, SDVariable keySize,
                        SDVariable groupedQueries, SDVariable scores, SDVariable groupedScores,
                        SDVariable headOutputs) {
    }

    private Shapes shapes(SDVariable bc) {
        int hd = c.headDim();
        int heads = c.nHeads();
        int kvHeads = c.kvHeads();
        SDVariable b = sd.slice(bc, new int[]{0}, new int[]{1});
        List<Band> list = new ArrayList<>();
        if (bands == 1) {
            SDVariable mask = sd.placeHolder(GraphNames.MASK, dtype, -1, 1, -1, -1);
            list.add(band(b, mask, null, null));
        } else {
            // band i's keys end after its last query's own key: P + its queries' end; they start m keys before
            SDVariable cached = kind == Kind.CACHED ? size(cachePlaceholder(GraphNames.keyCache(0)), 2) : longs(0);
            SDVariable queryBegin = longs(0);
            for (int i = 0; i < bands; i++) {
                SDVariable mask = sd.placeHolder(GraphNames.maskBand(i), dtype, -1, 1, -1, -1);
                SDVariable queryEnd = queryBegin.add(size(mask, 2));
                list.add(band(b, mask, queryBegin, cached.add(queryEnd).sub(size(mask, 3))));
                queryBegin = queryEnd;
            }
        }
        return new Shapes(withDims(bc, heads, hd), withDims(bc, kvHeads, hd), withDims(bc, c.dim()),
                withDims(bc, c.ffnHidden()), withDims(bc, c.vocabSize()), list);
    }

    private Band band(SDVariable b, SDVariable mask, SDVariable queryBegin, SDVariable keyBegin) {
        int hd = c.headDim();
        int heads = c.nHeads();
        int kvHeads = c.kvHeads();
        SDVariable n = size(mask, 2);
        SDVariable m = size(mask, 3);
        SDVariable groupedLen = n.mul(longs(heads / kvHeads));
        SDVariable zero = longs(0);
        return new Band(mask,
                queryBegin == null ? null : sd.concat(0, zero, zero, queryBegin, zero),
                keyBegin == null ? null : sd.concat(0, zero, zero, keyBegin, zero),
                keyBegin == null ? null : sd.concat(0, b, longs(kvHeads), m, longs(hd)),
                sd.concat(0, b, longs(kvHeads), groupedLen, longs(hd)),
                sd.concat(0, b, longs(heads), n, m),
                sd.concat(0, b, longs(kvHeads), groupedLen, m),
                sd.concat(0, b, longs(heads), n, longs(hd)));
    }

    /** Axis {@code axis} of x's shape, as a one-element long vector. */
    private SDVariable size(SDVariable x, int axis) {
        return sd.reshape(sd.sizeAt(x, axis).castTo(DataType.LONG), 1);
    }

    private SDVariable withDims(SDVariable bc, long... dims) {
        return sd.concat(0, bc, longs(dims));
    }

    private SDVariable longs(long... values) {
        return sd.constant(Nd4j.createFromArray(values));
    }

}
