package dev.blt.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.Axpy;
import org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater;
import org.nd4j.linalg.factory.Nd4j;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW as {@code torch.optim.AdamW} computes it (ND4J has no AdamW), one parameter group, decay on every
 * parameter as upstream's {@code build_optimizer}:
 * {@code p <- p(1 - lr wd); m <- b1 m + (1-b1) g; v <- b2 v + (1-b2) g^2;
 * p <- p - (lr / (1-b1^t)) m / (sqrt(v) / sqrt(1-b2^t) + eps)} (eps outside the square root).
 * Parameters are updated in place; the moments are this object's state.
 */
public final class AdamW {
    private final Hyper h;
    private final Map<String, INDArray> m = new LinkedHashMap<>();
    private final Map<String, INDArray> v = new LinkedHashMap<>();
    private long step;

    /** Upstream {@code OptimArgs} names: lr, beta1, beta2, epsilon, weight_decay. */
    public record Hyper(double lr, double beta1, double beta2, double epsilon, double weightDecay) {
    }

    public AdamW(Hyper h, Map<String, INDArray> params) {
        this.h = h;
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            m.put(e.getKey(), Nd4j.zerosLike(e.getValue()));
            v.put(e.getKey(), Nd4j.zerosLike(e.getValue()));
        }
    }

    public Hyper hyper() {
        return h;
    }

    /** Updates done so far (torch's per-parameter {@code step}). */
    public long step() {
        return step;
    }

    /** First moments by parameter name (live arrays, graph layout). */
    public Map<String, INDArray> firstMoments() {
        return m;
    }

    public Map<String, INDArray> secondMoments() {
        return v;
    }

    /** Restores the state written by a checkpoint: moments copied into place, and the step count. */
    public void restore(long steps, Map<String, INDArray> first, Map<String, INDArray> second) {
        for (String name : m.keySet()) {
            m.get(name).assign(first.get(name));
            v.get(name).assign(second.get(name));
        }
        this.step = steps;
    }

    /** One update with learning rate {@code lr} (the schedule already applied). */
    public void update(Map<String, INDArray> params, Map<String, INDArray> grads, double lr) {
        step++;
        // libnd4j's fused Adam adds eps to sqrt(v) before the bias correction; torch adds it after:
        // eps * sqrt(1 - beta2^t) here is torch's eps there
        double epsilon = h.epsilon() * Math.sqrt(1 - Math.pow(h.beta2(), step));
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            String name = e.getKey();
            INDArray p = e.getValue();
            INDArray g = grads.get(name);
            INDArray mt = m.get(name);
            INDArray vt = v.get(name);
            // two passes over memory: the fused Adam with -lr writes the negated step over the gradient
            // (moments in place), then one axpy decays and steps: p <- (1 - lr wd) p + (-step)
            Nd4j.exec(new AdamUpdater(g, vt, mt, g, vt, mt, -lr, h.beta1(), h.beta2(), epsilon, (int) (step - 1)));
            Nd4j.exec(new Axpy(p, g, p, 1 - lr * h.weightDecay()));
        }
    }
}
