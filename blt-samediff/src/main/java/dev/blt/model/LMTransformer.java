package dev.blt.model;

import dev.blt.graph.GraphResult;
import dev.blt.graph.PlannedGraph;
import org.apache.arrow.util.AutoCloseables;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The BLT entropy model: upstream's {@code LMTransformer} as a SameDiff graph with imported weights.
 * Built once; every batch size and chunk length runs through the same four graphs (first chunks, later chunks; each
 * with one mask or with {@link QueryBands}), which share the weight arrays, each run from recorded plans
 * ({@link PlannedGraph}). Use {@link SequenceScorer} to run whole documents; this class exposes the raw graph call
 * for it. Owns the graphs' plans and pooled arrays and its weight arrays, all native memory: whoever builds a model
 * closes it.
 */
public final class LMTransformer implements AutoCloseable {
    private final ModelConfig config;
    private final PlannedGraph fresh;
    private final PlannedGraph cached;
    private final PlannedGraph freshBanded;
    private final PlannedGraph cachedBanded;
    private final Precision precision;
    private final Map<String, INDArray> weights;
    private final AtomicBoolean closed = new AtomicBoolean();

    private LMTransformer(ModelConfig config, Map<String, INDArray> arrays, Precision precision) {
        this.config = config;
        this.weights = arrays;
        this.precision = precision;
        this.fresh = graph(arrays, LMTransformerGraph.Kind.FRESH, 1);
        this.cached = graph(arrays, LMTransformerGraph.Kind.CACHED, 1);
        this.freshBanded = graph(arrays, LMTransformerGraph.Kind.FRESH, QueryBands.COUNT);
        this.cachedBanded = graph(arrays, LMTransformerGraph.Kind.CACHED, QueryBands.COUNT);
    }

    private PlannedGraph graph(Map<String, INDArray> arrays, LMTransformerGraph.Kind kind, int bands) {
        return new PlannedGraph(LMTransformerGraph.build(config, arrays, precision, kind, bands));
    }

    /** The float32 model: what upstream computes, and the fast path. */
    public static LMTransformer build(ModelWeights weights) {
        return build(weights, Precision.FLOAT32);
    }

    /**
     * A model computing in {@code precision}. Float64 is a reference mode: two float32 implementations (upstream's
     * and this one) each carry ~1e-5 of round-off in entropies; in double this graph's own share vanishes, so it
     * agrees with upstream to upstream's own round-off. Bf16 trades accuracy for speed (see {@link Precision#BF16})
     * and needs the CPU's bf16 instructions ({@link Precision#requireSupported}).
     */
    public static LMTransformer build(ModelWeights weights, Precision precision) {
        precision.requireSupported();
        return new LMTransformer(weights.config(), LMTransformerGraph.weightArrays(weights, precision, true),
                precision);
    }

    public ModelConfig config() {
        return config;
    }

    /** The type of the activations, placeholders and outputs. */
    public DataType dtype() {
        return precision.activations();
    }

    public Precision precision() {
        return precision;
    }

    /**
     * One graph call; the placeholders are those of {@link GraphNames}. A call with key/value caches runs a graph
     * that attends over them; one without runs a graph that has none (a first chunk: no cache to concatenate). A
     * call with band masks ({@link GraphNames#maskBand}) instead of {@link GraphNames#MASK} runs a banded graph.
     * The result's arrays are lent: copy what must outlive it, then close it.
     */
    public GraphResult run(Map<String, INDArray> placeholders, List<String> outputs) {
        if (closed.get()) {
            throw new IllegalStateException("model used after close");
        }
        boolean withCache = placeholders.containsKey(GraphNames.keyCache(0));
        PlannedGraph graph = placeholders.containsKey(GraphNames.MASK) ? (withCache ? cached : fresh)
                : (withCache ? cachedBanded : freshBanded);
        return graph.run(placeholders, outputs);
    }

    /**
     * Frees the graphs and the weights (every graph is closed even if one fails), once no call is running.
     * Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            AutoCloseables.close(fresh, cached, freshBanded, cachedBanded);
        } catch (Exception e) {
            throw new IllegalStateException("could not free the model's graphs", e);
        } finally {
            weights.values().forEach(a -> {
                if (a.closeable()) {
                    a.close();
                }
            });
        }
    }
}
