package dev.blt.model;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Builds upstream's {@code LMTransformer} forward pass as one SameDiff graph that serves every batch size and
 * chunk length. Attention runs over [cached keys ; chunk keys] under a mask built by the caller, so long inputs
 * stream through in chunks with a bounded key cache instead of an S x S score matrix.
 *
 * <p>Weights become variables named as upstream ({@code layers.0.attention.wq.weight}), stored transposed to
 * {@code [in, out]} so that every projection is a plain {@code x @ W}.
 */
final class LMTransformerGraph {
    private final ModelConfig c;
    private final DataType dtype;
    private final SameDiff sd = SameDiff.create();
    private SDVariable swapPairs;

    private LMTransformerGraph(ModelConfig c, DataType dtype) {
        this.c = c;
        this.dtype = dtype;
    }

    static SameDiff build(ModelWeights w, DataType dtype) {
        return new LMTransformerGraph(w.config(), dtype).define(w);
    }

    private SameDiff define(ModelWeights w) {
        int hd = c.headDim();
        swapPairs = sd.constant("rope_swap_pairs", pairSwapMatrix(hd).castTo(dtype));
        SDVariable tokens = sd.placeHolder(GraphNames.TOKENS, DataType.INT32, -1, -1);
        SDVariable cos = sd.placeHolder(GraphNames.ROPE_COS, dtype, -1, -1, 1, hd);
        SDVariable sin = sd.placeHolder(GraphNames.ROPE_SIN, dtype, -1, -1, 1, hd);
        SDVariable mask = sd.placeHolder(GraphNames.MASK, dtype, -1, 1, -1, -1);
        SDVariable bc = sd.shape(tokens).castTo(DataType.LONG); // [B, C]

        SDVariable emb = weight(w, WeightNames.EMBEDDING, false);
        SDVariable x = sd.gather(GraphNames.EMBED, emb, sd.reshape(tokens, -1), 0); // [B*C, dim]
        for (int l = 0; l < c.nLayers(); l++) {
            x = block(w, l, x, bc, cos, sin, mask);
        }
        SDVariable prenorm = x;
        sd.reshape(GraphNames.PRENORM, prenorm, withDims(bc, c.dim()));
        sd.reshape(GraphNames.NORMS, prenorm.norm2(false, 1), bc);
        SDVariable logits2d = rmsNorm(prenorm, weight(w, WeightNames.FINAL_NORM, false)).mmul(weight(w, WeightNames.OUTPUT, true));
        sd.reshape(GraphNames.LOGITS, logits2d, withDims(bc, c.vocabSize()));
        // entropy through log-softmax as upstream, so that p * log p never meets 0 * -inf
        SDVariable logp = sd.nn.logSoftmax(logits2d);
        sd.reshape(GraphNames.LOG_PROBS, logp, withDims(bc, c.vocabSize()));
        SDVariable entropy = sd.math.exp(logp).mul(logp).sum(1).neg();
        sd.reshape(GraphNames.ENTROPIES, entropy, bc);
        return sd;
    }

    /** Pre-norm block: {@code h = x + attention(norm(x)); out = h + ffn(norm(h))}, on [B*C, dim] rows. */
    private SDVariable block(ModelWeights w, int l, SDVariable x, SDVariable bc, SDVariable cos, SDVariable sin,
                             SDVariable mask) {
        SDVariable an = rmsNorm(x, weight(w, WeightNames.attentionNorm(l), false)).rename(GraphNames.layer(l, "attention_norm"));
        SDVariable attn = attention(w, l, an, bc, cos, sin, mask).rename(GraphNames.layer(l, "attention"));
        SDVariable h = x.add(attn);
        SDVariable fn = rmsNorm(h, weight(w, WeightNames.ffnNorm(l), false)).rename(GraphNames.layer(l, "ffn_norm"));
        SDVariable gate = sd.nn.swish(fn.mmul(weight(w, WeightNames.w1(l), true)));
        SDVariable up = fn.mmul(weight(w, WeightNames.w3(l), true));
        SDVariable ffn = gate.mul(up).mmul(weight(w, WeightNames.w2(l), true)).rename(GraphNames.layer(l, "feed_forward"));
        return h.add(GraphNames.layer(l, "out"), ffn);
    }

    private SDVariable attention(ModelWeights w, int l, SDVariable x, SDVariable bc, SDVariable cos, SDVariable sin,
                                 SDVariable mask) {
        int hd = c.headDim();
        int heads = c.nHeads();
        int kvHeads = c.kvHeads();
        SDVariable q = rope(sd.reshape(x.mmul(weight(w, WeightNames.wq(l), true)), withDims(bc, heads, hd)), cos, sin)
                .rename(GraphNames.layer(l, "q_rope"));
        SDVariable k = rope(sd.reshape(x.mmul(weight(w, WeightNames.wk(l), true)), withDims(bc, kvHeads, hd)), cos, sin)
                .rename(GraphNames.layer(l, "k_rope"));
        SDVariable v = sd.reshape(x.mmul(weight(w, WeightNames.wv(l), true)), withDims(bc, kvHeads, hd));

        SDVariable kNew = sd.permute(GraphNames.keys(l), k, 0, 2, 1, 3);   // [B, KV, C, hd]
        SDVariable vNew = sd.permute(GraphNames.values(l), v, 0, 2, 1, 3);
        SDVariable kCache = sd.placeHolder(GraphNames.keyCache(l), dtype, -1, kvHeads, -1, hd);
        SDVariable vCache = sd.placeHolder(GraphNames.valueCache(l), dtype, -1, kvHeads, -1, hd);
        SDVariable keys = sd.concat(2, kCache, kNew);                     // [B, KV, P+C, hd]
        SDVariable vals = sd.concat(2, vCache, vNew);

        // Query head h uses KV head h / n_rep (upstream repeat_kv is repeat-interleave): grouping the n_rep
        // query heads of one KV head into its rows lets a single batched matmul serve them without copying K, V.
        SDVariable b = sd.slice(bc, new int[]{0}, new int[]{1});
        SDVariable len = sd.slice(bc, new int[]{1}, new int[]{1});
        SDVariable qg = sd.reshape(sd.permute(q, 0, 2, 1, 3), sd.concat(0, b, longs(kvHeads), len.mul(longs(heads / kvHeads)), longs(hd)));
        SDVariable scores = sd.mmul(qg, keys, false, true, false).mul(1.0 / Math.sqrt(hd)); // [B, KV, rep*C, P+C]
        SDVariable keyCount = sd.sizeAt(keys, 2).castTo(DataType.LONG);
        SDVariable perHead = sd.reshape(scores, sd.concat(0, b, longs(heads), len, sd.reshape(keyCount, 1)));
        SDVariable probs = sd.nn.softmax(perHead.add(mask), -1);
        SDVariable grouped = sd.reshape(probs, sd.concat(0, b, longs(kvHeads), len.mul(longs(heads / kvHeads)), sd.reshape(keyCount, 1)));
        SDVariable out = sd.mmul(grouped, vals);                                          // [B, KV, rep*C, hd]
        SDVariable perHeadOut = sd.reshape(out, sd.concat(0, b, longs(heads), len, longs(hd)));
        SDVariable rows = sd.reshape(sd.permute(perHeadOut, 0, 2, 1, 3), -1, heads * hd);
        return rows.mmul(weight(w, WeightNames.wo(l), true));
    }

    /** Interleaved-pair RoPE: {@code x * cos + swapPairs(x) * sinSigned} on [B, C, heads, hd]. */
    private SDVariable rope(SDVariable x, SDVariable cos, SDVariable sin) {
        SDVariable swapped = sd.reshape(sd.reshape(x, -1, c.headDim()).mmul(swapPairs), sd.shape(x));
        return x.mul(cos).add(swapped.mul(sin));
    }

    private SDVariable rmsNorm(SDVariable x, SDVariable gain) {
        SDVariable meanSquare = sd.math.square(x).mean(true, 1);
        return x.mul(sd.math.rsqrt(meanSquare.add(c.normEps()))).mul(gain);
    }

    /** A variable holding an upstream tensor; linear weights ({@code [out, in]}) are stored transposed. */
    private SDVariable weight(ModelWeights w, String name, boolean transpose) {
        long[] shape = WeightNames.expected(c).get(name);
        INDArray arr = Nd4j.create(w.get(name), shape, 'c');
        if (transpose) {
            arr = arr.transpose().dup('c');
        }
        if (dtype != DataType.FLOAT) {
            arr = arr.castTo(dtype);
        }
        return sd.var(name, arr);
    }

    private SDVariable withDims(SDVariable bc, long... dims) {
        return sd.concat(0, bc, longs(dims));
    }

    private SDVariable longs(long... values) {
        return sd.constant(Nd4j.createFromArray(values));
    }

    /** P with {@code x @ P} swapping the elements of each pair (2i, 2i+1). */
    private static INDArray pairSwapMatrix(int hd) {
        float[] p = new float[hd * hd];
        for (int i = 0; i < hd; i += 2) {
            p[i * hd + i + 1] = 1f;
            p[(i + 1) * hd + i] = 1f;
        }
        return Nd4j.create(p, new long[]{hd, hd}, 'c');
    }
}
