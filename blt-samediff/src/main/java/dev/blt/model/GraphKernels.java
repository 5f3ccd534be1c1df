package dev.blt.model;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.array.ThreadSafeArrayHolder;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

/**
 * The inference graphs' speed seam: the few places where {@link LMTransformerGraph} does not call the SameDiff op
 * the math names, because SameDiff M2.1's is slow or broken for this model. Each method says what it computes and
 * why it is done so.
 */
final class GraphKernels {
    private GraphKernels() {
    }

    /** A new graph whose variables are held once (see below). */
    static SameDiff newGraph() {
        return withoutLazyCopies(SameDiff.create());
    }

    /**
     * SameDiff's default array holders keep, beside each variable's array, a copy to replicate lazily to other
     * devices: a full idle copy of the weights per graph. Holders that replicate at once copy nothing
     * where there is one device (CPU) and still serve every device where there are several.
     */
    private static SameDiff withoutLazyCopies(SameDiff sd) {
        sd.setArrayHolders(new ThreadSafeArrayHolder(false), new ThreadSafeArrayHolder(false), false);
        return sd;
    }

    /** {@code x W} over x's last axis: activations are [B, C, features], and {@code tensorMmul} needs no reshape. */
    static SDVariable project(SameDiff sd, SDVariable x, SDVariable w) {
        return sd.tensorMmul(x, w, new int[]{2}, new int[]{0});
    }

    /**
     * {@code x W} in bfloat16 for x [..., in] and W [in, out] stored in bfloat16, out as float32 shaped as
     * {@code shape}: libnd4j runs bf16 products on oneDNN's bf16 GEMM only in its {@code matmul} op on matrices (its
     * {@code tensordot} runs a scalar loop in bf16), so x is rounded and flattened to rows first.
     */
    static SDVariable linearBf16(SameDiff sd, SDVariable x, SDVariable w, long in, SDVariable shape) {
        SDVariable rows = sd.reshape(x.castTo(DataType.BFLOAT16), -1, in);
        return sd.reshape(rows.mmul(w).castTo(DataType.FLOAT), shape);
    }

    /**
     * {@code heads4 Wo} for heads4 [B, C, heads, hd] and Wo stored as [heads, hd, dim]: both axes contracted at once,
     * with no reshape of the heads.
     */
    static SDVariable contractHeads(SameDiff sd, SDVariable heads4, SDVariable wo) {
        return new TensorDot(sd, heads4, wo, 2, 2, 3, 2, 0, 1).outputVariable();
    }

    /**
     * {@code silu(2h) = 2h sigmoid(2h) = h + h tanh(h)}, for inference graphs, whose W1 is stored halved (exact:
     * a power of two) so that {@code h = x W1 / 2} comes out of the projection. oneDNN's vectorised tanh costs about
     * one element-wise pass; ND4J's swish calls scalar expf per element and costs several.
     */
    static SDVariable siluOfDoubled(SameDiff sd, SDVariable h) {
        return h.add(h.mul(new OneDnnTanh(sd, h).outputVariable()));
    }

    /** A libnd4j op called by name, typed like its first input: for ops SameDiff M2.1 offers only slow or broken. */
    private abstract static class NativeOp extends DynamicCustomOp {
        NativeOp(SameDiff sd, SDVariable... inputs) {
            super(sd, inputs);
        }

        @Override
        public List<DataType> calculateOutputDataTypes(List<DataType> in) {
            return List.of(in.get(0));
        }
    }

    /** libnd4j's declarable {@code tanh}, which has a oneDNN kernel; SameDiff's {@code math.tanh} is a scalar loop. */
    private static final class OneDnnTanh extends NativeOp {
        OneDnnTanh(SameDiff sd, SDVariable x) {
            super(sd, x);
        }

        @Override
        public String opName() {
            return "tanh";
        }
    }

    /**
     * libnd4j's {@code tensordot} with its integer arguments as it reads them ({@code [n, axes of x..., n, axes of
     * y...]}): SameDiff M2.1's {@code tensorMmul} encodes two or more axes so that the op rejects them. Inference
     * only (no gradient).
     */
    private static final class TensorDot extends NativeOp {
        TensorDot(SameDiff sd, SDVariable x, SDVariable y, long... axes) {
            super(sd, x, y);
            addIArgument(axes);
        }

        @Override
        public String opName() {
            return "tensordot";
        }
    }

    /** P with {@code x @ P} swapping the elements of each pair (2i, 2i+1). */
    static INDArray pairSwapMatrix(int hd) {
        float[] p = new float[hd * hd];
        for (int i = 0; i < hd; i += 2) {
            p[i * hd + i + 1] = 1f;
            p[(i + 1) * hd + i] = 1f;
        }
        return Nd4j.create(p, new long[]{hd, hd}, 'c');
    }
}
