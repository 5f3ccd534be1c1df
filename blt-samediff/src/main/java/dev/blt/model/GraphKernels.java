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

    /**
     * x [..., features] as rows [n, features] for a linear layer's {@code rows W}: libnd4j's {@code matmul} op on
     * matrices runs on oneDNN's GEMM, in float32 and in bfloat16, while its {@code tensordot} goes to the BLAS
     * (MKL's sgemm here, which takes a slower path on AMD CPUs; in bfloat16 a scalar loop). A reshape is free for
     * contiguous x; o's input, attention's output seen in heads, is copied once, as tensordot would.
     */
    static SDVariable rows(SameDiff sd, SDVariable x, long features) {
        return sd.reshape(x, -1, features);
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
