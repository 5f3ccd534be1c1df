package dev.blt.graph;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GraphPlanTest {
    private static final int LENGTH = 1 << 18; // 1 MB of floats per intermediate

    /** x -> x+1 -> (x+1)*2 -> ... twenty element-wise steps, each result read only by the next. */
    private static SameDiff chain() {
        SameDiff sd = SameDiff.create();
        SDVariable v = sd.placeHolder("x", DataType.FLOAT, LENGTH);
        for (int i = 0; i < 20; i++) {
            v = i % 2 == 0 ? v.add(1.0) : v.mul(2.0);
        }
        v.rename("y");
        return sd;
    }

    private static GraphPlan record(SameDiff sd, Map<String, INDArray> in, List<String> wanted) {
        OpRecorder recorder = new OpRecorder();
        sd.addListeners(recorder);
        recorder.start();
        sd.output(in, wanted);
        return GraphPlan.of(sd, recorder.stop(), in.keySet(), wanted);
    }

    /** One replayed call's output {@code y}, copied; the call's arrays are back in the pool and the call ended. */
    private static INDArray replayedY(GraphPlan plan, ArrayPool pool, Map<String, INDArray> given) {
        GraphPlan.Call call = plan.run(given, pool);
        INDArray y = call.outputs().get("y").dup();
        call.lent().forEach(pool::release);
        pool.endCall();
        return y;
    }

    @Test
    void intermediatesShareMemoryOnceTheirLastReaderHasRun() {
        SameDiff sd = chain();
        Map<String, INDArray> in = Map.of("x", Nd4j.zeros(DataType.FLOAT, LENGTH));
        try (GraphPlan plan = record(sd, in, List.of("y")); ArrayPool pool = new ArrayPool(Long.MAX_VALUE)) {
            INDArray y = replayedY(plan, pool, Map.of("x", Nd4j.ones(DataType.FLOAT, LENGTH)));
            // ((1+1)*2+1)*2 ... ten times: y = 3 * 2^10 - 2
            assertEquals(3 * 1024 - 2, y.getFloat(0), 0f);
            assertEquals(3 * 1024 - 2, y.getFloat(LENGTH - 1), 0f);
            // each step needs its input and its output: two arrays, not twenty
            assertEquals(2L * LENGTH * 4, pool.bytesHeld());
        }
    }

    @Test
    void aWantedOutputTheOpsDidNotComputeIsAnError() {
        SameDiff sd = chain();
        Map<String, INDArray> in = Map.of("x", Nd4j.zeros(DataType.FLOAT, LENGTH));
        OpRecorder recorder = new OpRecorder();
        sd.addListeners(recorder);
        recorder.start();
        sd.output(in, List.of("y"));
        List<OpRecorder.Executed> ops = recorder.stop();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> GraphPlan.of(sd, ops, in.keySet(), List.of("nothing")));
        assertEquals("output nothing was not computed by the recorded ops", e.getMessage());
    }

    @Test
    void replaysWithTheValuesOfEachCall() {
        SameDiff sd = chain();
        try (GraphPlan plan = record(sd, Map.of("x", Nd4j.zeros(DataType.FLOAT, LENGTH)), List.of("y"));
             ArrayPool pool = new ArrayPool(0)) {
            for (float x : new float[]{0f, 5f, -1f}) {
                INDArray given = Nd4j.valueArrayOf(new long[]{LENGTH}, x, DataType.FLOAT);
                INDArray y = replayedY(plan, pool, Map.of("x", given));
                float expected = x;
                for (int i = 0; i < 20; i++) {
                    expected = i % 2 == 0 ? expected + 1 : expected * 2;
                }
                assertArrayEquals(new float[]{expected, expected}, new float[]{y.getFloat(0), y.getFloat(LENGTH - 1)});
            }
        }
    }

    /**
     * a = x + 1 is read last through views: a reshape of it and a permute read by a matmul. Taken as views, their
     * memory must stay lent until then, while the ops between them (of a's size) ask the pool for arrays; handing
     * a's memory out early would overwrite what the last matmul reads.
     */
    @Test
    void viewsKeepTheirArrayLentUntilTheirLastReader() {
        int n = 64;
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, n, n);
        SDVariable a = x.add(1.0);
        SDVariable flat = sd.reshape(a, n * n);
        SDVariable t = sd.permute(a, 1, 0);
        SDVariable busy = x.mul(3.0).add(2.0).mul(5.0);        // arrays of a's size while a waits
        sd.mmul(t, busy).add(flat.sum().reshape(1, 1)).rename("y");
        INDArray in = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray expected = sd.output(Map.of("x", in), List.of("y")).get("y").dup();
        try (GraphPlan plan = record(sd, Map.of("x", in), List.of("y")); ArrayPool pool = new ArrayPool(0)) {
            for (int call = 0; call < 3; call++) {
                assertEquals(expected, replayedY(plan, pool, Map.of("x", in)));
            }
        }
    }

    @Test
    void aReshapeAndAPermuteReadByAMatmulAreViewsOfTheirInput() {
        int n = 256;
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, n, n);
        SDVariable a = x.add(1.0);
        sd.mmul(sd.permute(a, 1, 0), sd.reshape(a, n, n)).rename("y");
        INDArray in = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray plus1 = in.add(1.0);
        try (GraphPlan plan = record(sd, Map.of("x", in), List.of("y")); ArrayPool pool = new ArrayPool(0)) {
            assertTrue(replayedY(plan, pool, Map.of("x", in)).equalsWithEps(plus1.transpose().mmul(plus1), 1e-3));
            assertEquals(2, plan.views());
            // x + 1 and the product: no array for the permute or the reshape
            assertEquals(2L * n * n * 4, pool.bytesHeld());
        }
    }

    @Test
    void aPermuteReadByAnythingButAMatmulIsCopied() {
        int n = 256;
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, n, n);
        sd.permute(x.add(1.0), 1, 0).mul(2.0).rename("y");
        INDArray in = Nd4j.rand(DataType.FLOAT, n, n);
        try (GraphPlan plan = record(sd, Map.of("x", in), List.of("y")); ArrayPool pool = new ArrayPool(0)) {
            assertEquals(in.add(1.0).transpose().mul(2.0), replayedY(plan, pool, Map.of("x", in)));
            assertEquals(0, plan.views());
        }
    }
    /**
     * Slices read by matmuls, directly or through a permute, are views at the recorded begin, whether the begin is
     * an integer argument or an input array; the same slice read by an addition is copied.
     */
    @Test
    void slicesReadByMatmulsAreViewsAtTheRecordedBegin() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, 2, 12, 8);
        SDVariable a = x.add(1.0);
        SDVariable rows = sd.slice(sd.permute(a, 0, 2, 1), new int[]{0, 0, 3}, 2, 8, 6);      // [2, 8, 6]
        SDVariable cols = sd.slice(a, sd.constant(Nd4j.createFromArray(0L, 5L, 0L)),
                sd.constant(Nd4j.createFromArray(2L, 6L, 8L)));                                // [2, 6, 8]
        sd.mmul(rows, cols).add(sd.slice(a, new int[]{0, 2, 0}, 2, 8, 8)).rename("y");
        INDArray in = Nd4j.rand(DataType.FLOAT, 2, 12, 8);
        INDArray expected = sd.output(Map.of("x", in), List.of("y")).get("y").dup();
        try (GraphPlan plan = record(sd, Map.of("x", in), List.of("y")); ArrayPool pool = new ArrayPool(0)) {
            for (int call = 0; call < 3; call++) {
                assertTrue(expected.equalsWithEps(replayedY(plan, pool, Map.of("x", in)), 1e-5));
            }
            assertEquals(3, plan.views()); // the permute and the two slices the matmul reads, not the added one
        }
    }
}
