package dev.blt.graph;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collections;
import java.util.Map;

/**
 * The arrays one graph call produced, lent until {@link #close}: the graph reuses their memory afterwards, so copy
 * what must outlive the result.
 */
public final class GraphResult implements AutoCloseable {
    private final Map<String, INDArray> arrays;
    private final Runnable giveBack;
    private boolean closed;

    GraphResult(Map<String, INDArray> arrays, Runnable giveBack) {
        this.arrays = Collections.unmodifiableMap(arrays);
        this.giveBack = giveBack;
    }

    /** The output of that name, or null if it was not asked for. */
    public INDArray get(String name) {
        return arrays().get(name);
    }

    /** Every output, by name (valid until {@link #close}). */
    public Map<String, INDArray> arrays() {
        if (closed) {
            throw new IllegalStateException("graph result read after close");
        }
        return arrays;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            giveBack.run();
        }
    }
}
