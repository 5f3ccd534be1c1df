package dev.blt.graph;

import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.dataset.api.MultiDataSet;

import java.util.ArrayList;
import java.util.List;

/**
 * Records the ops one SameDiff inference call executes, in order, with the arguments SameDiff gave each and the
 * types of what each wrote. Several threads may run the graph at once; only the thread that asked records.
 */
final class OpRecorder extends BaseListener {
    /** One executed op: what to call, with which arguments, producing arrays of which types. */
    record Executed(SameDiffOp op, long[] iArgs, double[] tArgs, boolean[] bArgs, DataType[] dArgs,
                    List<DataType> outputTypes) {
    }

    private final ThreadLocal<List<Executed>> recording = new ThreadLocal<>();

    void start() {
        recording.set(new ArrayList<>());
    }

    List<Executed> stop() {
        List<Executed> ops = recording.get();
        recording.remove();
        return ops;
    }

    @Override
    public boolean isActive(Operation operation) {
        return recording.get() != null;
    }

    @Override
    public void opExecution(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, OpContext ctx, INDArray[] outputs) {
        List<Executed> ops = recording.get();
        if (ops == null) {
            return;
        }
        List<DataType> types = new ArrayList<>();
        for (INDArray out : outputs) {
            types.add(out.dataType());
        }
        ops.add(new Executed(op, ctx.getIArguments().stream().mapToLong(Long::longValue).toArray(),
                ctx.getTArguments().stream().mapToDouble(Double::doubleValue).toArray(), booleans(ctx.getBArguments()),
                ctx.getDArguments().toArray(new DataType[0]), types));
    }

    private static boolean[] booleans(List<Boolean> values) {
        boolean[] b = new boolean[values.size()];
        for (int i = 0; i < b.length; i++) {
            b[i] = values.get(i);
        }
        return b;
    }
}
