package dev.blt.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The ND4J calls behind {@link TrainingPass}: the one place that knows which libnd4j op serves each step of the
 * math fast. Activations are rows {@code [N, features]} (N = rows x tokens), c-ordered; weights are {@code [in, out]};
 * attention works on batches of matrices {@code [heads, positions, x]}.
 */
final class TrainingKernels {
    private TrainingKernels() {
    }

    /**
     * {@code out = a' b'} ({@code '} = transposed where asked), or {@code out += a' b'}: one libnd4j {@code matmul}
     * either way, which runs float32 on oneDNN's GEMM (see {@link GraphKernels#rows} for why not the BLAS). Arrays of
     * rank 3 are batches of matrices, transposed in their last two dimensions; they may be strided views.
     */
    static INDArray gemm(INDArray a, boolean ta, INDArray b, boolean tb, INDArray out, boolean accumulate) {
        Nd4j.exec(DynamicCustomOp.builder("matmul").addInputs(a, b).addOutputs(out)
                .addIntegerArguments(ta ? 1 : 0, tb ? 1 : 0).addFloatingPointArguments(1.0, accumulate ? 1.0 : 0.0)
                .build());
        return out;
    }

    /** A new {@code a' b'}. */
    static INDArray gemm(INDArray a, boolean ta, INDArray b, boolean tb) {
        int r = a.rank();
        long[] shape = a.shape().clone();
        shape[r - 2] = a.size(ta ? r - 1 : r - 2);
        shape[r - 1] = b.size(tb ? r - 2 : r - 1);
        return gemm(a, ta, b, tb, Nd4j.createUninitialized(a.dataType(), shape), false);
    }

    /** {@code 1 / sqrt(mean(x^2, features) + eps)} per row, as a column [N, 1]. */
    static INDArray rmsScale(INDArray x, double eps) {
        try (INDArray squares = x.mul(x)) {
            return Transforms.pow(squares.mean(true, 1).addi(eps), -0.5, false);
        }
    }

    /** {@code x * r * g}: the RMS norm's output from its input, its per-row scale and its gain. */
    static INDArray normed(INDArray x, INDArray r, INDArray g) {
        return x.mulColumnVector(r).muliRowVector(g);
    }

    /**
     * The RMS norm's backward: adds {@code sum_rows(dy * x * r)} to the gain's gradient and returns
     * {@code dx = r (g dy) - x r^3 mean(g dy x)}. With {@code t = dy * x * r}, both reductions are matrix products,
     * the gain's gradient {@code ones t} and the mean {@code t g / features}, so no product {@code g dy x} is written
     * out and no reduction runs along the rows.
     */
    static INDArray normBackward(INDArray dy, INDArray x, INDArray r, INDArray g, INDArray dg) {
        long rows = x.size(0);
        long features = x.size(1);
        try (INDArray xr = x.mulColumnVector(r); INDArray t = dy.mul(xr);
             INDArray ones = Nd4j.ones(dy.dataType(), 1, rows)) {
            gemm(ones, false, t, false, dg.reshape('c', 1, features), true);
            try (INDArray c = gemm(t, false, g.reshape('c', features, 1), false).divi(features)) {
                // dx = r (g dy - xr c)
                return dy.mulRowVector(g).subi(xr.muliColumnVector(c)).muliColumnVector(r);
            }
        }
    }

    /** {@code x cos + swapPairs(x) sinSigned} per head ({@link Rope}'s tables, expanded to x's shape). */
    static INDArray rope(INDArray x, INDArray cos, INDArray sinSigned, INDArray swapPairs) {
        try (INDArray swapped = swapPairs(x, swapPairs)) {
            return x.mul(cos).addi(swapped.muli(sinSigned));
        }
    }

    /** The transpose of {@link #rope} (the pair swap is its own transpose): {@code dy cos + swapPairs(dy sinSigned)}. */
    static INDArray ropeBackward(INDArray dy, INDArray cos, INDArray sinSigned, INDArray swapPairs) {
        try (INDArray ds = dy.mul(sinSigned); INDArray swapped = swapPairs(ds, swapPairs)) {
            return dy.mul(cos).addi(swapped);
        }
    }

    /** Swaps (2i, 2i+1) in every head: one [.., hd] x [hd, hd] permutation product (ND4J's reverse is slow). */
    private static INDArray swapPairs(INDArray x, INDArray swapPairs) {
        long hd = swapPairs.size(0);
        INDArray out = Nd4j.createUninitialized(x.dataType(), x.shape());
        gemm(x.reshape('c', x.length() / hd, hd), false, swapPairs, false, out.reshape('c', x.length() / hd, hd), false);
        return out;
    }

    /**
     * Softmax of {@code scores} over its last dimension into {@code out}: libnd4j's declarable op, which runs a batch
     * of matrices on oneDNN in float32 (matrices alone take its scalar loop).
     */
    static void softmax(INDArray scores, INDArray out) {
        Nd4j.exec(DynamicCustomOp.builder("softmax").addInputs(scores).addOutputs(out).addIntegerArguments(-1).build());
    }

    /**
     * The softmax's backward from its output p over the last dimension, given {@code dots = sum(p * dp)} over that
     * dimension: {@code p * (dp - dots)}, in place of {@code dp} (p and dp c-ordered, dots holding one value per row).
     */
    static INDArray softmaxBackward(INDArray p, INDArray dp, INDArray dots) {
        long last = p.size(p.rank() - 1);
        long rowCount = p.length() / last;
        dp.reshape('c', rowCount, last).subiColumnVector(dots.reshape('c', rowCount, 1))
                .muli(p.reshape('c', rowCount, last));
        return dp;
    }

    /**
     * {@code sigmoid(u)} as {@code (1 + tanh(u / 2)) / 2}: libnd4j's declarable tanh has a vectorised (oneDNN)
     * kernel, its sigmoid transform calls scalar expf per element.
     */
    static INDArray sigmoid(INDArray u) {
        INDArray out = u.mul(0.5);
        Nd4j.exec(DynamicCustomOp.builder("tanh").addInputs(out).addOutputs(out).build());
        return out.addi(1.0).muli(0.5);
    }
}
