package dev.blt.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.blt.model.TrainingKernels.gemm;
import static dev.blt.model.TrainingKernels.normBackward;
import static dev.blt.model.TrainingKernels.normed;
import static dev.blt.model.TrainingKernels.rmsScale;
import static dev.blt.model.TrainingKernels.rope;
import static dev.blt.model.TrainingKernels.ropeBackward;
import static dev.blt.model.TrainingKernels.sigmoid;
import static dev.blt.model.TrainingKernels.softmax;
import static dev.blt.model.TrainingKernels.softmaxBackward;

/**
 * One training step of upstream's {@code LMTransformer}: the forward pass over whole rows, keeping what the
 * backward pass needs, then the backward pass written out by hand, adding every parameter's gradient of
 * {@code loss = sum_i w_i CE(logits_i, y_i)} into the given arrays.
 *
 * <p>Per layer, with {@code n(x) = x / rms(x) * g}:
 * <pre>
 *   h   = x + Wo attention(rope(Wq n_a(x)), rope(Wk n_a(x)), Wv n_a(x))
 *   out = h + W2 (silu(W1 n_f(h)) * W3 n_f(h))
 * </pre>
 * Attention runs per block of {@link #QUERY_BLOCK} queries over the keys that block may see (the window before its
 * first query up to its last), so memory grows with rows x window, not rows squared; the softmax weights are
 * recomputed in the backward pass instead of kept. A layer keeps its input, q, k, v, the attention output, h,
 * and the two FFN projections; the norms' outputs are recomputed.
 */
final class TrainingPass implements AutoCloseable {
    /**
     * Queries per attention block (at most the window): a block computes scores only for the keys its queries may
     * see. Smaller blocks would skip more of the causal mask's blocked half, but their smaller matrix products cost
     * what that saves.
     */
    static final int QUERY_BLOCK = 512;
    private final ModelConfig c;
    private final DataType dtype;
    private final Map<String, INDArray> p;
    private final Map<String, INDArray> grad;
    private final AttentionRule rule;
    private final Rope ropeTable;
    private final INDArray swapPairs;
    private final int heads;
    private final int kvHeads;
    private final int hd;
    private final double scale;
    /** The RoPE tables of the last batch shape: they depend only on rows x length, the same every step. */
    private RopeTables tables;

    TrainingPass(ModelConfig c, DataType dtype, Map<String, INDArray> params, Map<String, INDArray> grads,
                 INDArray swapPairs) {
        this.c = c;
        this.dtype = dtype;
        this.p = params;
        this.grad = grads;
        this.rule = AttentionRule.of(c);
        this.ropeTable = new Rope(c.headDim(), c.ropeTheta());
        this.swapPairs = swapPairs;
        this.heads = c.nHeads();
        this.kvHeads = c.kvHeads();
        this.hd = c.headDim();
        this.scale = 1.0 / Math.sqrt(hd);
    }

    /**
     * Forward, loss and backward of one batch, the loss being {@code sum_i mask_i CE_i / count}; returns the loss
     * and adds its gradients into {@code grads}.
     */
    double run(TrainingBatch batch, double count) {
        try (Step s = new Step(batch, count)) {
            INDArray x = Nd4j.pullRows(p.get(WeightNames.EMBEDDING), 1, batch.inputs());
            for (int l = 0; l < c.nLayers(); l++) {
                x = s.layerForward(l, x);
            }
            INDArray dx = s.headForwardBackward(x);
            for (int l = c.nLayers() - 1; l >= 0; l--) {
                dx = s.layerBackward(l, dx);
            }
            s.embeddingBackward(dx);
            return s.loss;
        }
    }

    @Override
    public void close() {
        if (tables != null) {
            tables.close();
            tables = null;
        }
    }

    private RopeTables tables(int rows, int len) {
        if (tables == null || tables.rows != rows || tables.len != len) {
            close();
            INDArray[] q = ropeTable(rows, len, heads);
            // without grouped-query attention keys have the queries' heads, so the same table serves both
            tables = new RopeTables(rows, len, q, kvHeads == heads ? q : ropeTable(rows, len, kvHeads));
        }
        return tables;
    }

    /** Cosines and sines for {@code count} heads, expanded to the rows' shape [rows x len, count * hd]. */
    private INDArray[] ropeTable(int rows, int len, int count) {
        int width = count * hd;
        long n = (long) rows * len;
        float[] cos = new float[Math.toIntExact(n * width)];
        float[] sin = new float[cos.length];
        float[] c1 = new float[hd];
        float[] s1 = new float[hd];
        for (int t = 0; t < len; t++) {
            ropeTable.fill(t, c1, s1, 0);
            for (int r = 0; r < rows; r++) {
                for (int h = 0; h < count; h++) {
                    int at = ((r * len + t) * count + h) * hd;
                    System.arraycopy(c1, 0, cos, at, hd);
                    System.arraycopy(s1, 0, sin, at, hd);
                }
            }
        }
        return new INDArray[]{array(cos, n, width), array(sin, n, width)};
    }

    private INDArray array(float[] values, long... shape) {
        INDArray a = Nd4j.create(values, shape, 'c');
        if (dtype == DataType.FLOAT) {
            return a;
        }
        try (a) {
            return a.castTo(dtype);
        }
    }

    private record RopeTables(int rows, int len, INDArray[] q, INDArray[] k) implements AutoCloseable {
        @Override
        public void close() {
            for (INDArray a : q == k ? List.of(q[0], q[1]) : List.of(q[0], q[1], k[0], k[1])) {
                a.close();
            }
        }
    }

    /** What the forward pass of one layer keeps for its backward. */
    private record Saved(INDArray x, INDArray r1, INDArray q, INDArray k, INDArray v, INDArray attn, INDArray h,
                         INDArray r2, INDArray up1, INDArray up3) {
        List<INDArray> arrays() {
            return List.of(x, r1, q, k, v, attn, h, r2, up1, up3);
        }
    }

    /** A block of queries [qBegin, qEnd) of one row and the keys [kBegin, qEnd) it may see, with its mask. */
    private record Block(int row, int qBegin, int qEnd, int kBegin, INDArray mask) {
        int queries() {
            return qEnd - qBegin;
        }

        int keys() {
            return qEnd - kBegin;
        }
    }

    /** Keys or values as {@link Step#perHead} gives them; closes {@code all} only if it made it. */
    private record PerHead(INDArray all, boolean copy) implements AutoCloseable {
        @Override
        public void close() {
            if (copy) {
                all.close();
            }
        }
    }

    /**
     * Two arrays as large as a block's scores, every head, made once a step and reused by every block and layer:
     * arrays of that size made anew each time cost libnd4j a zero fill each.
     */
    private static final class BlockScratch implements AutoCloseable {
        private final int heads;
        private final INDArray first;
        private final INDArray second;

        BlockScratch(DataType dtype, int heads, List<Block> blocks) {
            this.heads = heads;
            long size = heads * blocks.stream().mapToLong(b -> (long) b.queries() * b.keys()).max().orElse(0);
            first = Nd4j.createUninitialized(dtype, size);
            second = Nd4j.createUninitialized(dtype, size);
        }

        INDArray first(Block b) {
            return view(first, b);
        }

        INDArray second(Block b) {
            return view(second, b);
        }

        /** The array's first elements as [heads, queries, keys]: a view, c-ordered. */
        private INDArray view(INDArray flat, Block b) {
            return flat.get(NDArrayIndex.interval(0, (long) heads * b.queries() * b.keys()))
                    .reshape('c', heads, b.queries(), b.keys());
        }

        @Override
        public void close() {
            first.close();
            second.close();
        }
    }

    private final class Step implements AutoCloseable {
        private final TrainingBatch batch;
        private final double count;
        private final int rows;
        private final int len;
        private final long n;
        private final INDArray cosQ, sinQ, cosK, sinK;
        private final List<Block> blocks = new ArrayList<>();
        private final Saved[] saved = new Saved[c.nLayers()];
        private final List<INDArray> owned = new ArrayList<>();
        private final BlockScratch scratch;
        private double loss;

        Step(TrainingBatch batch, double count) {
            this.batch = batch;
            this.count = count;
            this.rows = batch.rows();
            this.len = batch.length();
            this.n = (long) rows * len;
            RopeTables t = tables(rows, len);
            cosQ = t.q[0];
            sinQ = t.q[1];
            cosK = t.k[0];
            sinK = t.k[1];
            int block = Math.min(len, rule.window() == null ? QUERY_BLOCK : Math.min(QUERY_BLOCK, rule.window()));
            for (int r = 0; r < rows; r++) {
                int[] docs = RowState.documentIndex(Arrays.copyOfRange(batch.inputs(), r * len, (r + 1) * len),
                        c.eosId());
                for (int qb = 0; qb < len; qb += block) {
                    int qe = Math.min(len, qb + block);
                    int kb = rule.window() == null ? 0 : Math.max(0, qb - rule.window() + 1);
                    blocks.add(new Block(r, qb, qe, kb, mask(docs, qb, qe, kb)));
                }
            }
            scratch = new BlockScratch(dtype, heads, blocks);
        }

        private INDArray mask(int[] docs, int qb, int qe, int kb) {
            int m = qe - kb;
            float[] mask = new float[(qe - qb) * m];
            Arrays.fill(mask, SequenceScorer.BLOCKED);
            for (int i = qb; i < qe; i++) {
                for (int j = kb; j <= i; j++) {
                    if (rule.allows(i, docs[i], j, docs[j])) {
                        mask[(i - qb) * m + (j - kb)] = 0f;
                    }
                }
            }
            return own(array(mask, qe - qb, m));
        }

        INDArray layerForward(int l, INDArray x) {
            INDArray r1 = rmsScale(x, c.normEps());
            INDArray a = normed(x, r1, w(WeightNames.attentionNorm(l)));
            INDArray q, k, v;
            try (INDArray qLin = gemm(a, false, w(WeightNames.wq(l)), false);
                 INDArray kLin = gemm(a, false, w(WeightNames.wk(l)), false)) {
                // q carries the 1/sqrt(hd) of the scores
                q = headsFirst(rope(qLin, cosQ, sinQ, swapPairs).muli(scale), heads);
                k = headsFirst(rope(kLin, cosK, sinK, swapPairs), kvHeads);
                v = headsFirst(gemm(a, false, w(WeightNames.wv(l)), false), kvHeads);
            }
            a.close();
            INDArray attn = rowsFirst(attention(q, k, v), heads);
            INDArray h = gemm(attn, false, w(WeightNames.wo(l)), false).addi(x);
            INDArray r2 = rmsScale(h, c.normEps());
            INDArray up1, up3;
            INDArray out;
            try (INDArray f = normed(h, r2, w(WeightNames.ffnNorm(l)))) {
                up1 = gemm(f, false, w(WeightNames.w1(l)), false);
                up3 = gemm(f, false, w(WeightNames.w3(l)), false);
            }
            try (INDArray gated = swiGlu(up1, up3)) {
                out = gemm(gated, false, w(WeightNames.w2(l)), false).addi(h);
            }
            saved[l] = new Saved(x, r1, q, k, v, attn, h, r2, up1, up3);
            return out;
        }

        /** Final norm, output projection, the weighted cross-entropy and its backward down to the last layer's output. */
        INDArray headForwardBackward(INDArray x) {
            INDArray g = w(WeightNames.FINAL_NORM);
            try (INDArray r = rmsScale(x, c.normEps()); INDArray normedX = normed(x, r, g);
                 INDArray logits = gemm(normedX, false, w(WeightNames.OUTPUT), false);
                 INDArray dLogits = crossEntropyBackward(logits);
                 INDArray dNormed = gemm(dLogits, false, w(WeightNames.OUTPUT), true)) {
                gemm(normedX, true, dLogits, false, d(WeightNames.OUTPUT), true);
                INDArray dx = normBackward(dNormed, x, r, g, d(WeightNames.FINAL_NORM));
                x.close();
                return dx;
            }
        }

        /**
         * {@code sum_i w_i (logsumexp(logits_i) - logits_i[y_i])}, {@code w_i = mask_i / count}, and its gradient
         * {@code w_i (softmax(logits_i) - onehot(y_i))}, in double.
         */
        private INDArray crossEntropyBackward(INDArray logits) {
            int vocab = c.vocabSize();
            double[] z = logits.data().asDouble();
            double total = 0;
            for (int i = 0; i < n; i++) {
                double weight = count == 0 ? 0 : batch.mask()[i] / count;
                int at = i * vocab;
                double logSum = LogSumExp.of(z, at, vocab);
                total += weight * (logSum - z[at + batch.targets()[i]]);
                for (int j = 0; j < vocab; j++) {
                    z[at + j] = weight * Math.exp(z[at + j] - logSum);
                }
                z[at + batch.targets()[i]] -= weight;
            }
            loss = total;
            INDArray grad = Nd4j.create(z, new long[]{n, vocab}, 'c');
            if (dtype == DataType.DOUBLE) {
                return grad;
            }
            try (grad) {
                return grad.castTo(dtype);
            }
        }

        INDArray layerBackward(int l, INDArray dOut) {
            Saved s = saved[l];
            // out = h + W2 (silu(up1) * up3)
            INDArray dh;
            try (INDArray sig = sigmoid(s.up1()); INDArray silu = s.up1().mul(sig);
                 INDArray gated = silu.mul(s.up3())) {
                gemm(gated, true, dOut, false, d(WeightNames.w2(l)), true);
                // d gated = dOut W2^T; d up3 = d gated * silu (over gated, read by now);
                // d up1 = d gated * up3 * silu'(up1), silu'(u) = sig (1 + u (1 - sig)) = sig (1 + u - silu) (over silu)
                try (INDArray dUp1 = gemm(dOut, false, w(WeightNames.w2(l)), true);
                     INDArray dUp3 = dUp1.mul(silu, gated);
                     INDArray f = normed(s.h(), s.r2(), w(WeightNames.ffnNorm(l)))) {
                    dUp1.muli(s.up3()).muli(silu.rsubi(s.up1()).addi(1.0).muli(sig));
                    INDArray df = gemm(dUp1, false, w(WeightNames.w1(l)), true);
                    gemm(f, true, dUp1, false, d(WeightNames.w1(l)), true);
                    gemm(f, true, dUp3, false, d(WeightNames.w3(l)), true);
                    gemm(dUp3, false, w(WeightNames.w3(l)), true, df, true);
                    dh = normBackward(df, s.h(), s.r2(), w(WeightNames.ffnNorm(l)), d(WeightNames.ffnNorm(l)))
                            .addi(dOut);
                    df.close();
                }
            }
            dOut.close();
            // h = x + Wo attention(q, k, v)
            gemm(s.attn(), true, dh, false, d(WeightNames.wo(l)), true);
            INDArray dq, dk, dv;
            INDArray dAttn = gemm(dh, false, w(WeightNames.wo(l)), true);
            try (INDArray rowDots = rowDots(dAttn, s.attn()); INDArray dAttnHeads = headsFirst(dAttn, heads)) {
                INDArray[] dqkv = attentionBackward(s.q(), s.k(), s.v(), dAttnHeads, rowDots);
                try (INDArray dqRows = rowsFirst(dqkv[0], heads).muli(scale);
                     INDArray dkRows = rowsFirst(dqkv[1], kvHeads)) {
                    dq = ropeBackward(dqRows, cosQ, sinQ, swapPairs);
                    dk = ropeBackward(dkRows, cosK, sinK, swapPairs);
                }
                dv = rowsFirst(dqkv[2], kvHeads);
            }
            INDArray dx;
            try (dq; dk; dv; INDArray a = normed(s.x(), s.r1(), w(WeightNames.attentionNorm(l)));
                 INDArray da = gemm(dq, false, w(WeightNames.wq(l)), true)) {
                gemm(a, true, dq, false, d(WeightNames.wq(l)), true);
                gemm(a, true, dk, false, d(WeightNames.wk(l)), true);
                gemm(a, true, dv, false, d(WeightNames.wv(l)), true);
                gemm(dk, false, w(WeightNames.wk(l)), true, da, true);
                gemm(dv, false, w(WeightNames.wv(l)), true, da, true);
                dx = normBackward(da, s.x(), s.r1(), w(WeightNames.attentionNorm(l)), d(WeightNames.attentionNorm(l)))
                        .addi(dh);
            }
            dh.close();
            for (INDArray a : s.arrays()) {
                a.close();
            }
            saved[l] = null;
            return dx;
        }

        /** The embedding's gradient: each position's gradient added to its token's row. */
        void embeddingBackward(INDArray dx) {
            INDArray dEmb = d(WeightNames.EMBEDDING);
            long dim = c.dim();
            double[] rowsGrad = dx.data().asDouble();
            double[] acc = new double[Math.toIntExact(c.vocabSize() * dim)];
            int[] tokens = batch.inputs();
            for (int i = 0; i < tokens.length; i++) {
                int at = (int) (tokens[i] * dim);
                int from = (int) (i * dim);
                for (int j = 0; j < dim; j++) {
                    acc[at + j] += rowsGrad[from + j];
                }
            }
            try (INDArray a = Nd4j.create(acc, new long[]{c.vocabSize(), dim}, 'c'); INDArray cast = a.castTo(dtype)) {
                dEmb.addi(cast);
            }
            dx.close();
        }

        /**
         * Softmax attention of q [B, H, T, hd] (already scaled) over k, v [B, KV, T, hd], per block, all heads of a
         * block in one batched product: per-head products and softmaxes pay libnd4j's per-op set-up once a head.
         */
        private INDArray attention(INDArray q, INDArray k, INDArray v) {
            INDArray out = Nd4j.createUninitialized(dtype, rows, heads, len, hd);
            try (PerHead kh = perHead(k); PerHead vh = perHead(v)) {
                for (Block b : blocks) {
                    INDArray probs = probabilities(span(q, b, b.qBegin()), span(kh.all(), b, b.kBegin()), b);
                    gemm(probs, false, span(vh.all(), b, b.kBegin()), false, span(out, b, b.qBegin()), false);
                }
            }
            return out;
        }

        /**
         * dq, dk, dv (heads first) of {@link #attention} given the gradient of its output and {@link #rowDots}: the
         * softmax's backward needs {@code sum_j p_ij dp_ij} per query, which is {@code dOut_i . out_i}
         * ({@code dp_ij = dOut_i . v_j}, {@code out_i = sum_j p_ij v_j}), so no product of the scores' size is made.
         */
        private INDArray[] attentionBackward(INDArray q, INDArray k, INDArray v, INDArray dOut, INDArray rowDots) {
            // the blocks split the queries, so each block writes its own rows of dq; keys are shared, so dk and dv add up
            INDArray dq = Nd4j.createUninitialized(dtype, rows, heads, len, hd);
            INDArray dk = Nd4j.create(dtype, rows, heads, len, hd);
            INDArray dv = Nd4j.create(dtype, rows, heads, len, hd);
            try (PerHead kh = perHead(k); PerHead vh = perHead(v)) {
                for (Block b : blocks) {
                    INDArray qb = span(q, b, b.qBegin());
                    INDArray kb = span(kh.all(), b, b.kBegin());
                    INDArray dOutB = span(dOut, b, b.qBegin());
                    INDArray probs = probabilities(qb, kb, b);
                    gemm(probs, true, dOutB, false, span(dv, b, b.kBegin()), true);
                    INDArray dScores = gemm(dOutB, false, span(vh.all(), b, b.kBegin()), true, scratch.second(b), false);
                    try (INDArray dots = rowDots.get(NDArrayIndex.point(b.row()), NDArrayIndex.all(),
                            NDArrayIndex.interval(b.qBegin(), b.qEnd())).dup('c')) {
                        softmaxBackward(probs, dScores, dots);
                    }
                    gemm(dScores, false, kb, false, span(dq, b, b.qBegin()), false);
                    gemm(dScores, true, qb, false, span(dk, b, b.kBegin()), true);
                }
            }
            return new INDArray[]{dq, groupSum(dk), groupSum(dv)};
        }

        /** softmax(q k^T + mask) of one block, all heads, in the first of the scratch arrays: [H, queries, keys]. */
        private INDArray probabilities(INDArray q, INDArray k, Block b) {
            INDArray scores = gemm(q, false, k, true, scratch.first(b), false);
            Nd4j.exec(new BroadcastAddOp(scores, b.mask(), scores, 1, 2));
            softmax(scores, scores);
            return scores;
        }

        /**
         * {@code dOut_i . out_i} per query and head, from both as rows [N, H * hd]: [B, H, T], heads first like the
         * blocks.
         */
        private INDArray rowDots(INDArray dOutRows, INDArray outRows) {
            try (INDArray products = dOutRows.mul(outRows);
                 INDArray dots = products.reshape('c', rows, len, heads, hd).sum(3)) {
                INDArray out = Nd4j.createUninitialized(dtype, rows, heads, len);
                out.assign(dots.permute(0, 2, 1));
                return out;
            }
        }

        /** Positions [from, b.qEnd()) of b's row, every head, of a [B, H, T, hd] array: a view [H, positions, hd]. */
        private INDArray span(INDArray headsFirst, Block b, int from) {
            return headsFirst.get(NDArrayIndex.point(b.row()), NDArrayIndex.all(),
                    NDArrayIndex.interval(from, b.qEnd()), NDArrayIndex.all());
        }

        /**
         * Keys or values [B, KV, T, hd] with a head for every query head (grouped-query attention shares each among
         * H / KV of them): the array itself without grouping, else a copy with each repeated.
         */
        private PerHead perHead(INDArray kv) {
            if (kvHeads == heads) {
                return new PerHead(kv, false);
            }
            int group = heads / kvHeads;
            INDArray out = Nd4j.createUninitialized(dtype, rows, heads, len, hd);
            INDArray grouped = out.reshape('c', rows, kvHeads, group, len * hd);
            INDArray source = kv.reshape('c', rows, kvHeads, len * hd);
            for (int j = 0; j < group; j++) {
                grouped.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(j), NDArrayIndex.all())
                        .assign(source);
            }
            return new PerHead(out, true);
        }

        /** The transpose of {@link #perHead}: gradients per query head [B, H, T, hd] summed per group; closes them. */
        private INDArray groupSum(INDArray perQueryHead) {
            if (kvHeads == heads) {
                return perQueryHead;
            }
            try (perQueryHead) {
                return perQueryHead.reshape('c', rows, kvHeads, heads / kvHeads, len, hd).sum(2);
            }
        }

        /** [N, count * hd] rows as a new [B, count, T, hd]; the rows are closed. */
        private INDArray headsFirst(INDArray rowsFirst, int count) {
            try (rowsFirst) {
                INDArray out = Nd4j.createUninitialized(dtype, rows, count, len, hd);
                out.assign(rowsFirst.reshape('c', rows, len, count, hd).permute(0, 2, 1, 3));
                return out;
            }
        }

        /** The inverse of {@link #headsFirst}: [B, count, T, hd] as new [N, count * hd] rows; the input is closed. */
        private INDArray rowsFirst(INDArray headsFirst, int count) {
            try (headsFirst) {
                INDArray out = Nd4j.createUninitialized(dtype, n, (long) count * hd);
                out.reshape('c', rows, len, count, hd).assign(headsFirst.permute(0, 2, 1, 3));
                return out;
            }
        }

        private INDArray w(String name) {
            return p.get(name);
        }

        private INDArray d(String name) {
            return grad.get(name);
        }

        private INDArray own(INDArray a) {
            owned.add(a);
            return a;
        }

        @Override
        public void close() {
            for (Saved s : saved) {
                if (s != null) {
                    s.arrays().forEach(INDArray::close);
                }
            }
            owned.forEach(INDArray::close);
            scratch.close();
        }
    }

    /** {@code silu(up1) * up3}. */
    private static INDArray swiGlu(INDArray up1, INDArray up3) {
        return sigmoid(up1).muli(up1).muli(up3);
    }
}
