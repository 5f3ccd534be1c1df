package dev.blt.train;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/** {@code torch.nn.utils.clip_grad_norm_}: one L2 norm over all gradients, scaled by min(1, max / (norm + 1e-6)). */
public final class GradientClip {
    private GradientClip() {
    }

    /** Global L2 norm of the gradients (accumulated in double). */
    public static double globalNorm(Collection<INDArray> grads) {
        double sq = 0;
        for (INDArray g : grads) {
            double n = g.norm2Number().doubleValue();
            sq += n * n;
        }
        return Math.sqrt(sq);
    }

    /** The factor upstream multiplies every gradient by; 1 when the norm is within {@code maxNorm}. */
    public static double coefficient(double norm, double maxNorm) {
        return Math.min(1.0, maxNorm / (norm + 1e-6));
    }

    /** Scales the gradients in place and returns the norm before clipping (what upstream logs). */
    public static double clip(Collection<INDArray> grads, double maxNorm) {
        double norm = globalNorm(grads);
        double coef = coefficient(norm, maxNorm);
        if (coef < 1.0) {
            for (INDArray g : grads) {
                g.muli(coef);
            }
        }
        return norm;
    }
}
