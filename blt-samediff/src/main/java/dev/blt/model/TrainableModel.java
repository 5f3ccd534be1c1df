package dev.blt.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The entropy model as a differentiable function of its parameters: next-byte cross-entropy and its gradients
 * for a {@link TrainingBatch}, computed by {@link TrainingPass}. The parameter arrays are this object's own, so an
 * optimizer that updates them in place changes the model; their layout is {@code [in, out]} for linear weights,
 * and {@link #weights()} / {@link #toUpstream} convert back to upstream's {@code [out, in]}. Owns the parameters'
 * and gradients' native memory: close it.
 */
public final class TrainableModel implements AutoCloseable {
    private final ModelConfig c;
    private final DataType dtype;
    private final Map<String, long[]> shapes;
    private final Map<String, INDArray> params;
    private final Map<String, INDArray> grads = new LinkedHashMap<>();
    private final INDArray swapPairs;
    private final TrainingPass pass;

    private TrainableModel(ModelConfig c, DataType dtype, Map<String, INDArray> params) {
        this.c = c;
        this.dtype = dtype;
        this.shapes = WeightNames.expected(c);
        this.params = params;
        params.forEach((name, p) -> grads.put(name, Nd4j.zerosLike(p)));
        this.swapPairs = GraphKernels.pairSwapMatrix(c.headDim()).castTo(dtype);
        this.pass = new TrainingPass(c, dtype, params, grads, swapPairs);
    }

    /** A model computing in FLOAT (training) or DOUBLE (a reference for gradient checks). */
    public static TrainableModel build(ModelWeights weights, DataType dtype) {
        if (dtype != DataType.FLOAT && dtype != DataType.DOUBLE) {
            throw new IllegalArgumentException("training computes in FLOAT or DOUBLE, not " + dtype);
        }
        Map<String, INDArray> graphLayout = LMTransformerGraph.weightArrays(weights,
                dtype == DataType.DOUBLE ? Precision.FLOAT64 : Precision.FLOAT32, false);
        Map<String, INDArray> ordered = new LinkedHashMap<>();
        WeightNames.expected(weights.config()).keySet().forEach(name -> ordered.put(name, graphLayout.get(name)));
        return new TrainableModel(weights.config(), dtype, ordered);
    }

    public ModelConfig config() {
        return c;
    }

    public DataType dtype() {
        return dtype;
    }

    /** Parameter name (upstream) to the live array, in state-dict order. */
    public Map<String, INDArray> parameters() {
        return params;
    }

    /**
     * Loss (mean cross-entropy over masked-in positions, nats) and gradient of every parameter (graph layout). The
     * gradient arrays are this model's: valid until the next call, which overwrites them.
     */
    public Gradients lossAndGradients(TrainingBatch batch) {
        return lossAndGradients(List.of(batch));
    }

    /**
     * The same for the one batch made of all these micro-batches' rows, run one after the other: each adds its
     * gradient of {@code sum_i mask_i CE_i / (masked-in positions of all of them)} into the same arrays, so
     * the step's memory is one micro-batch's.
     */
    public Gradients lossAndGradients(List<TrainingBatch> microBatches) {
        for (INDArray g : grads.values()) {
            g.assign(0);
        }
        double count = 0;
        for (TrainingBatch b : microBatches) {
            count += b.maskedCount();
        }
        double loss = 0;
        for (TrainingBatch b : microBatches) {
            loss += pass.run(b, count);
        }
        return new Gradients(loss, grads);
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

    /** Loss and per-parameter gradients of one step (the gradients are the model's arrays, see above). */
    public record Gradients(double loss, Map<String, INDArray> byName) {
    }

    @Override
    public void close() {
        pass.close();
        params.values().forEach(INDArray::close);
        grads.values().forEach(INDArray::close);
        swapPairs.close();
    }
}
