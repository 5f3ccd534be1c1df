package dev.blt.model;

import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The entropy model as a differentiable function of its parameters: next-byte cross-entropy and its gradients
 * for a {@link TrainingBatch}. The parameter arrays are the graph's own, so an optimizer that updates them in
 * place changes the model; their layout is the graph's (linear weights {@code [in, out]}), and
 * {@link #weights()} / {@link #toUpstream} convert back to upstream's {@code [out, in]}.
 */
public final class TrainableModel {
    private final ModelConfig c;
    private final DataType dtype;
    private final SameDiff graph;
    private final Rope rope;
    private final AttentionRule rule;
    private final Map<String, long[]> shapes;

    private TrainableModel(ModelConfig c, DataType dtype, SameDiff graph) {
        this.c = c;
        this.dtype = dtype;
        this.graph = graph;
        this.rope = new Rope(c.headDim(), c.ropeTheta());
        this.rule = AttentionRule.of(c);
        this.shapes = WeightNames.expected(c);
    }

    /** A model computing in FLOAT (training) or DOUBLE (a reference for gradient checks). */
    public static TrainableModel build(ModelWeights weights, DataType dtype) {
        if (dtype != DataType.FLOAT && dtype != DataType.DOUBLE) {
            throw new IllegalArgumentException("training computes in FLOAT or DOUBLE, not " + dtype);
        }
        SameDiff sd = LMTransformerGraph.buildTraining(weights, dtype);
        // SameDiff prints one line per op to stdout while it builds the backward graph
        SameDiffStdout.muted(sd::createGradFunction);
        return new TrainableModel(weights.config(), dtype, sd);
    }

    public ModelConfig config() {
        return c;
    }

    public DataType dtype() {
        return dtype;
    }

    /** Parameter name (upstream) to the live graph array, in state-dict order. */
    public Map<String, INDArray> parameters() {
        Map<String, INDArray> p = new LinkedHashMap<>();
        for (String name : shapes.keySet()) {
            p.put(name, graph.getArrForVarName(name));
        }
        return p;
    }

    /** Loss (mean cross-entropy over masked-in positions, nats) and gradient of every parameter (graph layout). */
    public Gradients lossAndGradients(TrainingBatch batch) {
        OutAndGrad r = graph.calculateGradientsAndOutputs(placeholders(batch), List.of(GraphNames.LOSS),
                shapes.keySet());
        double loss = r.getOutputs().get(GraphNames.LOSS).getDouble(0);
        Map<String, INDArray> grads = new LinkedHashMap<>();
        for (String name : shapes.keySet()) {
            grads.put(name, r.getGradients().get(name));
        }
        return new Gradients(loss, grads);
    }

    /** Loss only, without the backward pass. */
    public double loss(TrainingBatch batch) {
        return graph.output(placeholders(batch), GraphNames.LOSS).get(GraphNames.LOSS).getDouble(0);
    }

    /** The current parameters as float32 upstream-layout weights. */
    public ModelWeights weights() {
        Map<String, float[]> t = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : parameters().entrySet()) {
            t.put(e.getKey(), toUpstream(e.getKey(), e.getValue()));
        }
        return ModelWeights.of(c, t);
    }

    /** A parameter-shaped array (a parameter, its gradient or an optimizer moment) in upstream layout, as floats. */
    public float[] toUpstream(String name, INDArray graphLayout) {
        INDArray a = LMTransformerGraph.storedTransposed(name, shapes.get(name)) ? graphLayout.transpose() : graphLayout;
        return a.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }

    /** The inverse of {@link #toUpstream}: an upstream-layout tensor as a graph-layout array of the model's dtype. */
    public INDArray fromUpstream(String name, float[] upstream) {
        long[] shape = shapes.get(name);
        INDArray a = Nd4j.create(upstream, shape, 'c');
        if (LMTransformerGraph.storedTransposed(name, shape)) {
            a = a.transpose().dup('c');
        }
        return a.castTo(dtype);
    }

    private Map<String, INDArray> placeholders(TrainingBatch b) {
        int rows = b.rows();
        int len = b.length();
        int hd = c.headDim();
        float[] cos = new float[len * hd];
        float[] sin = new float[len * hd];
        for (int p = 0; p < len; p++) {
            rope.fill(p, cos, sin, p * hd);
        }
        float[] mask = new float[rows * len * len];
        Arrays.fill(mask, SequenceScorer.BLOCKED);
        for (int r = 0; r < rows; r++) {
            int[] docs = RowState.documentIndex(Arrays.copyOfRange(b.inputs(), r * len, (r + 1) * len), c.eosId());
            for (int i = 0; i < len; i++) {
                for (int j = 0; j <= i; j++) {
                    if (rule.allows(i, docs[i], j, docs[j])) {
                        mask[(r * len + i) * len + j] = 0f;
                    }
                }
            }
        }
        double count = b.maskedCount();
        float[] weights = new float[rows * len];
        for (int i = 0; i < weights.length; i++) {
            // mask / count: upstream's sum(loss * mask) / mask.sum(), i.e. the plain mean when every position counts
            weights[i] = count == 0 ? 0f : (float) (b.mask()[i] / count);
        }
        Map<String, INDArray> in = new HashMap<>();
        in.put(GraphNames.TOKENS, Nd4j.createFromArray(b.inputs()).reshape(rows, len));
        in.put(GraphNames.LABELS, Nd4j.createFromArray(b.targets()).reshape(rows, len));
        in.put(GraphNames.LOSS_WEIGHTS, Nd4j.create(weights, new long[]{rows, len}, 'c').castTo(dtype));
        INDArray cosArr = Nd4j.create(cos, new long[]{1, len, 1, hd}, 'c');
        INDArray sinArr = Nd4j.create(sin, new long[]{1, len, 1, hd}, 'c');
        in.put(GraphNames.ROPE_COS, cosArr.repeat(0, rows).castTo(dtype));
        in.put(GraphNames.ROPE_SIN, sinArr.repeat(0, rows).castTo(dtype));
        in.put(GraphNames.MASK, Nd4j.create(mask, new long[]{rows, 1, len, len}, 'c').castTo(dtype));
        return in;
    }

    /** Loss and per-parameter gradients of one step; close it to free the gradients' native memory at once. */
    public record Gradients(double loss, Map<String, INDArray> byName) implements AutoCloseable {
        @Override
        public void close() {
            for (INDArray g : byName.values()) {
                if (g.closeable()) {
                    g.close();
                }
            }
        }
    }
}
