package dev.blt.graph;

import org.apache.arrow.util.AutoCloseables;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.BaseReduceOp;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.Op;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ops of one SameDiff inference call, as SameDiff executed them, ready to run again without SameDiff's session for
 * inputs of any shapes: each op keeps its context and arguments, its output shapes are computed for each call from its
 * inputs (libnd4j's shape functions), and every intermediate array comes from an {@link ArrayPool} and goes back to
 * it right after its last reader. SameDiff's session instead decides ops, allocates outputs and tracks dependencies
 * anew on every call and leaves reshape and permute outputs to the garbage collector.
 *
 * <p>Reshapes of dense arrays, and permutes and slices read only by matmuls, replay as views of their input (as
 * SameDiff itself makes reshapes and permutes) instead of copies: the memory then stays lent until the last reader
 * of any of its views has run.
 * (Other ops, libnd4j's concat among them, read permuted views slowly: those permutes still copy.)
 *
 * <p>Valid only for graphs that execute the same ops whatever their inputs (no control flow) and whose ops' recorded
 * arguments do not depend on the inputs' shapes (shapes, slice bounds and the like come as arrays computed in the
 * graph, read anew on each call): true of the model's inference graphs. Not thread-safe.
 */
final class GraphPlan implements AutoCloseable {
    private static final int SHAPES_KEPT = 64;
    /** An op to execute, or (with {@code view}) a view of its first input to take instead. */
    private record Step(DifferentialFunction op, OpContext ctx, View view, int[] inputs, int[] outputs,
                        int[] releasedAfter) {
    }

    /** A step replayed as a view of its first input, given its inputs and its output's shape for this call. */
    private interface View {
        INDArray of(INDArray[] in, long[] shape);
    }

    /** One call's wanted outputs, and the pooled arrays behind them, to release once they have been read. */
    record Call(Map<String, INDArray> outputs, List<INDArray> lent) {
    }

    private final List<Step> steps;
    private final INDArray[] fixed;
    private final Map<String, Integer> placeholders;
    private final Map<String, Integer> outputs;
    private final int[] lentRoots;
    private final DataType[] types;
    /**
     * Every step's output shapes by the placeholders' shapes that gave them, for the last {@link #SHAPES_KEPT} sets:
     * libnd4j's shape functions, called through JNI for every op, cost a small model much of its time.
     */
    private final Map<String, long[][][]> shapesSeen = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, long[][][]> eldest) {
            return size() > SHAPES_KEPT;
        }
    };

    private GraphPlan(List<Step> steps, INDArray[] fixed, Map<String, Integer> placeholders,
                      Map<String, Integer> outputs, int[] lentRoots, DataType[] types) {
        this.steps = steps;
        this.fixed = fixed;
        this.placeholders = placeholders;
        this.outputs = outputs;
        this.lentRoots = lentRoots;
        this.types = types;
    }

    /**
     * A plan from what {@code sd} executed ({@link OpRecorder}) when called with placeholders named
     * {@code placeholderNames} for {@code wanted}.
     */
    static GraphPlan of(SameDiff sd, List<OpRecorder.Executed> executed, Set<String> placeholderNames,
                        List<String> wanted) {
        Slots slots = new Slots();
        List<int[]> inputs = new ArrayList<>();
        List<int[]> outputs = new ArrayList<>();
        Map<String, Integer> placeholderSlots = new HashMap<>();
        for (OpRecorder.Executed e : executed) {
            int[] in = new int[e.op().getInputsToOp() == null ? 0 : e.op().getInputsToOp().size()];
            for (int i = 0; i < in.length; i++) {
                String name = e.op().getInputsToOp().get(i);
                Integer slot = slots.byName.get(name);
                if (slot == null) {
                    boolean placeholder = placeholderNames.contains(name);
                    slot = slots.add(name, placeholder ? null : fixedArray(sd, name), null);
                    if (placeholder) {
                        placeholderSlots.put(name, slot);
                    }
                }
                in[i] = slot;
            }
            List<String> names = e.op().getOutputsOfOp();
            int[] out = new int[names.size()];
            for (int o = 0; o < out.length; o++) {
                out[o] = slots.add(names.get(o), null, e.outputTypes().get(o));
            }
            inputs.add(in);
            outputs.add(out);
        }
        Map<String, Integer> outputSlots = new LinkedHashMap<>();
        for (String name : wanted) {
            Integer slot = slots.byName.get(name);
            if (slot == null || !slots.computed(slot)) {
                throw new IllegalStateException("output " + name + " was not computed by the recorded ops");
            }
            outputSlots.put(name, slot);
        }
        List<View> views = views(executed, inputs, outputs, slots);
        int[] root = roots(views, inputs, outputs, slots.size());
        int[] lastRead = lastReads(inputs, outputs, root, outputSlots.values());
        List<Step> steps = new ArrayList<>();
        for (int s = 0; s < executed.size(); s++) {
            OpRecorder.Executed e = executed.get(s);
            int step = s;
            int[] released = Arrays.stream(concat(inputs.get(s), outputs.get(s))).map(slot -> root[slot])
                    .filter(slot -> slots.computed(slot) && lastRead[slot] == step).distinct().toArray();
            steps.add(new Step(e.op().getOp(), context(e), views.get(s), inputs.get(s), outputs.get(s), released));
        }
        int[] lentRoots = outputSlots.values().stream().mapToInt(slot -> root[slot]).distinct().toArray();
        return new GraphPlan(steps, slots.fixed.toArray(new INDArray[0]), placeholderSlots, outputSlots, lentRoots,
                slots.types.toArray(new DataType[0]));
    }

    /**
     * For each step, the view it replays as, or null to execute its op: a reshape of a dense array (computed by an
     * op, or a dense view of one), or a permute or slice whose every reader is a matmul or another such view.
     */
    private static List<View> views(List<OpRecorder.Executed> executed, List<int[]> inputs, List<int[]> outputs,
                                    Slots slots) {
        boolean[] matmulsOnly = readOnlyByMatmuls(executed, inputs, outputs, slots.size());
        boolean[] dense = new boolean[slots.size()];
        List<View> views = new ArrayList<>();
        for (int s = 0; s < executed.size(); s++) {
            OpRecorder.Executed e = executed.get(s);
            int[] out = outputs.get(s);
            int in = inputs.get(s).length == 0 ? -1 : inputs.get(s)[0];
            boolean computedInput = in >= 0 && slots.computed(in);
            View view = null;
            String name = e.op().getOp().opName();
            // libnd4j's reshape reads its order from a leading -'c' or -'f' integer argument; 'c' by default
            boolean cOrder = e.iArgs().length == 0 || e.iArgs()[0] != -'f';
            if (out.length == 1 && computedInput && name.equals("reshape") && dense[in] && cOrder) {
                view = (x, shape) -> x[0].reshape('c', shape);
            } else if (out.length == 1 && computedInput && matmulsOnly[out[0]]) {
                view = name.equals("permute") ? permuteView(e) : name.equals("slice") ? sliceView(e) : null;
            }
            for (int slot : out) {
                dense[slot] = view == null || name.equals("reshape");
            }
            views.add(view);
        }
        return views;
    }

    /**
     * Per slot: whether every step reading it is a matmul, or a permute or slice whose output is read so in turn
     * (decided from the last step back, as readers come after writers).
     */
    private static boolean[] readOnlyByMatmuls(List<OpRecorder.Executed> executed, List<int[]> inputs,
                                               List<int[]> outputs, int slotCount) {
        boolean[] only = new boolean[slotCount];
        Arrays.fill(only, true);
        for (int s = executed.size() - 1; s >= 0; s--) {
            String name = executed.get(s).op().getOp().opName();
            int[] out = outputs.get(s);
            boolean passesOn = (name.equals("permute") || name.equals("slice")) && out.length == 1 && only[out[0]];
            boolean reader = name.equals("matmul") || passesOn;
            for (int slot : inputs.get(s)) {
                only[slot] &= reader;
            }
        }
        return only;
    }

    private static View permuteView(OpRecorder.Executed e) {
        if (e.iArgs().length == 0) {
            return null; // axes given as an input array: not seen here
        }
        int[] axes = Arrays.stream(e.iArgs()).mapToInt(Math::toIntExact).toArray();
        return (x, shape) -> x[0].permute(axes);
    }

    /**
     * libnd4j's slice takes begin and size as integer arguments or, from SameDiff variables, as input arrays
     * (computed from shapes, so read anew on every call).
     */
    private static View sliceView(OpRecorder.Executed e) {
        boolean fromInputs = e.op().getInputsToOp().size() > 1;
        if (!fromInputs && e.iArgs().length % 2 != 0) {
            return null;
        }
        return (x, shape) -> {
            long[] begin = fromInputs ? x[1].reshape(x[1].length()).toLongVector() : e.iArgs();
            INDArrayIndex[] at = new INDArrayIndex[shape.length];
            for (int d = 0; d < at.length; d++) {
                at[d] = NDArrayIndex.interval(begin[d], begin[d] + shape[d]);
            }
            return x[0].get(at);
        };
    }

    /** The slot whose array each slot's values live in: itself, or for a view the array it was taken of. */
    private static int[] roots(List<View> views, List<int[]> inputs, List<int[]> outputs, int slotCount) {
        int[] root = new int[slotCount];
        Arrays.setAll(root, i -> i);
        for (int s = 0; s < views.size(); s++) {
            if (views.get(s) != null) {
                root[outputs.get(s)[0]] = root[inputs.get(s)[0]];
            }
        }
        return root;
    }

    /**
     * Runs the plan on placeholders of any shapes the graph takes. The wanted outputs live in arrays lent by
     * {@code pool} ({@link Call#lent}), to be released to it by the caller; everything else is back in the pool on
     * return. If an op fails, arrays of the call stay lent: {@link ArrayPool#releaseAll}.
     */
    Call run(Map<String, INDArray> given, ArrayPool pool) {
        INDArray[] values = fixed.clone();
        StringBuilder signature = new StringBuilder();
        placeholders.forEach((name, slot) -> {
            values[slot] = given.get(name);
            signature.append(Arrays.toString(values[slot].shape()));
        });
        long[][][] known = shapesSeen.get(signature.toString());
        long[][][] seen = known != null ? known : new long[steps.size()][][];
        OpExecutioner executioner = Nd4j.getExecutioner();
        for (int s = 0; s < seen.length; s++) {
            Step step = steps.get(s);
            INDArray[] in = new INDArray[step.inputs.length];
            for (int i = 0; i < in.length; i++) {
                in[i] = values[step.inputs[i]];
            }
            long[][] shapes = known != null ? known[s] : (seen[s] = outputShapes(step, in, executioner));
            if (step.view != null) {
                values[step.outputs[0]] = step.view.of(in, shapes[0]);
            } else {
                INDArray[] out = new INDArray[step.outputs.length];
                for (int o = 0; o < out.length; o++) {
                    int slot = step.outputs[o];
                    out[o] = values[slot] = pool.acquire(types[slot], shapes[o]);
                }
                step.ctx.setInputArrays(in);
                step.ctx.setOutputArrays(out);
                if (step.op instanceof CustomOp custom) {
                    executioner.exec(custom, step.ctx);
                } else {
                    executioner.exec((Op) step.op, step.ctx);
                }
                // libnd4j's context keeps a native wrapper of every array ever set on it until purged
                step.ctx.purge();
            }
            for (int slot : step.releasedAfter) {
                pool.release(values[slot]);
                values[slot] = null;
            }
        }
        shapesSeen.putIfAbsent(signature.toString(), seen);
        Map<String, INDArray> result = new LinkedHashMap<>();
        outputs.forEach((name, slot) -> result.put(name, values[slot]));
        return new Call(result, Arrays.stream(lentRoots).mapToObj(slot -> values[slot]).toList());
    }

    /**
     * The shapes a step writes for these inputs: libnd4j's shape function for custom ops, the op's own for
     * reductions; the other legacy ops (element-wise, scalar) keep their input's shape.
     */
    private static long[][] outputShapes(Step step, INDArray[] in, OpExecutioner executioner) {
        step.ctx.setInputArrays(in);
        List<LongShapeDescriptor> shapes;
        if (step.op instanceof CustomOp custom) {
            shapes = executioner.calculateOutputShape(custom, step.ctx);
        } else if (step.op instanceof BaseReduceOp reduce) {
            shapes = reduce.calculateOutputShape(step.ctx);
        } else {
            return new long[][]{in[0].shape()};
        }
        step.ctx.purge();
        return shapes.stream().map(LongShapeDescriptor::getShape).toArray(long[][]::new);
    }

    /** How many steps replay as views instead of ops. */
    int views() {
        return (int) steps.stream().filter(s -> s.view != null).count();
    }

    /** Frees every op context, even after one fails: the first failure is thrown, the others suppressed in it. */
    @Override
    public void close() {
        try {
            AutoCloseables.close(steps.stream().map(Step::ctx).toList());
        } catch (Exception e) {
            throw new IllegalStateException("could not free an op context", e);
        }
    }

    /**
     * The index of the step after which each array's slot ({@code root}) is no longer needed: the last reader of it
     * or of a view of it, or its producer if nothing reads it; arrays behind wanted outputs never (the caller
     * releases them).
     */
    private static int[] lastReads(List<int[]> inputs, List<int[]> outputs, int[] root, Iterable<Integer> kept) {
        int[] last = new int[root.length];
        Arrays.fill(last, -1);
        for (int s = 0; s < inputs.size(); s++) {
            for (int slot : outputs.get(s)) {
                last[root[slot]] = Math.max(last[root[slot]], s);
            }
            for (int slot : inputs.get(s)) {
                last[root[slot]] = s;
            }
        }
        for (int slot : kept) {
            last[root[slot]] = Integer.MAX_VALUE;
        }
        return last;
    }

    private static INDArray fixedArray(SameDiff sd, String name) {
        INDArray a = sd.getArrForVarName(name);
        if (a == null) {
            throw new IllegalStateException("op input " + name + " is neither computed, a placeholder nor stored");
        }
        return a;
    }

    private static OpContext context(OpRecorder.Executed e) {
        OpContext ctx = Nd4j.getExecutioner().buildContext();
        if (e.iArgs().length > 0) {
            ctx.setIArguments(e.iArgs());
        }
        if (e.tArgs().length > 0) {
            ctx.setTArguments(e.tArgs());
        }
        if (e.bArgs().length > 0) {
            ctx.setBArguments(e.bArgs());
        }
        if (e.dArgs().length > 0) {
            ctx.setDArguments(e.dArgs());
        }
        return ctx;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** Every array a plan touches: stored (fixed), a placeholder (neither), or computed (a type). */
    private static final class Slots {
        final Map<String, Integer> byName = new HashMap<>();
        final List<INDArray> fixed = new ArrayList<>();
        final List<DataType> types = new ArrayList<>();

        int add(String name, INDArray array, DataType type) {
            int slot = fixed.size();
            byName.put(name, slot);
            fixed.add(array);
            types.add(type);
            return slot;
        }

        boolean computed(int slot) {
            return types.get(slot) != null;
        }

        int size() {
            return fixed.size();
        }
    }
}
