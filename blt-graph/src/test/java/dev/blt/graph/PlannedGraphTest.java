package dev.blt.graph;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlannedGraphTest {
    /**
     * A graph with the kinds of op the model has: a matmul against a stored weight, a shape computed from the
     * input, reshape and permute copies, legacy scalar/transform/reduce ops and a softmax, two outputs.
     */
    private static SameDiff graph() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 6);
        SDVariable w = sd.var("w", Nd4j.linspace(-1, 1, 36, DataType.FLOAT).reshape(6, 6));
        SDVariable h = sd.math.tanh(x.mmul(w)).mul(0.5);
        SDVariable shape = sd.concat(0, sd.slice(sd.shape(x).castTo(DataType.LONG), new int[]{0}, new int[]{1}),
                sd.constant(Nd4j.createFromArray(2L, 3L)));
        SDVariable heads = sd.permute(sd.reshape(h, shape), 0, 2, 1);                       // [B, 3, 2]
        sd.nn.softmax("probs", heads.add(1.0), -1);
        sd.math.square(h).mean("ms", true, 1);
        return sd;
    }

    private static Map<String, INDArray> input(int rows, int seed) {
        return Map.of("x", Nd4j.rand(DataType.FLOAT, rows, 6).addi(seed));
    }

    /** SameDiff's session would keep the recorded call's arrays (and its array cache) for as long as it lives. */
    @Test
    void aRecordingLeavesNoSameDiffSessionBehind() {
        SameDiff sd = graph();
        try (PlannedGraph planned = new PlannedGraph(sd)) {
            try (GraphResult r = planned.run(input(4, 0), List.of("probs"))) {
                assertEquals(4, r.get("probs").size(0));
            }
            assertTrue(sd.getSessions().isEmpty(), "sessions left: " + sd.getSessions().keySet());
        }
    }

    @Test
    void replaysWhatSameDiffComputesWithoutCallingIt() {
        SameDiff reference = graph();
        SameDiff sd = graph();
        AtomicInteger opsRun = countOps(sd);
        List<String> wanted = List.of("probs", "ms");
        try (PlannedGraph planned = new PlannedGraph(sd)) {
            for (int rows : new int[]{3, 5, 3, 5, 3}) {
                for (int seed = 0; seed < 2; seed++) {
                    Map<String, INDArray> in = input(rows, seed);
                    Map<String, INDArray> expected = reference.output(in, wanted);
                    try (GraphResult got = planned.run(in, wanted)) {
                        for (String name : wanted) {
                            assertArrayEquals(expected.get(name).shape(), got.get(name).shape(), name);
                            assertArrayEquals(expected.get(name).dup().data().asFloat(),
                                    got.get(name).dup().data().asFloat(), name + " rows " + rows);
                        }
                    }
                }
            }
        }
        // SameDiff ran once, for the first call (3 rows): every other call, 5 rows included, was a replay
        SameDiff counted = graph();
        AtomicInteger perCall = countOps(counted);
        counted.output(input(3, 0), wanted);
        assertEquals(perCall.get(), opsRun.get(), "ops SameDiff executed over 10 calls of 2 shapes");
    }

    /** The switch that runs the same graph the plain way: every call through SameDiff, with the same results. */
    @Test
    void withoutReplayEveryCallRunsThroughSameDiffAndAgreesWithThePlans() {
        SameDiff plainGraph = graph();
        AtomicInteger opsRun = countOps(plainGraph);
        List<String> wanted = List.of("probs", "ms");
        int calls = 0;
        try (PlannedGraph plain = new PlannedGraph(plainGraph, false);
             PlannedGraph replayed = new PlannedGraph(graph(), true)) {
            for (int rows : new int[]{3, 5, 3}) {
                Map<String, INDArray> in = input(rows, rows);
                try (GraphResult a = plain.run(in, wanted); GraphResult b = replayed.run(in, wanted)) {
                    calls++;
                    for (String name : wanted) {
                        assertArrayEquals(b.get(name).dup().data().asFloat(), a.get(name).dup().data().asFloat(),
                                name + " rows " + rows);
                    }
                }
            }
        }
        SameDiff counted = graph();
        AtomicInteger perCall = countOps(counted);
        counted.output(input(3, 0), wanted);
        assertEquals(calls * perCall.get(), opsRun.get(), "ops SameDiff executed without replay");
    }

    @Test
    void resultsAreLentUntilClosed() {
        try (PlannedGraph planned = new PlannedGraph(graph())) {
            planned.run(input(4, 0), List.of("probs")).close();
            GraphResult r = planned.run(input(4, 0), List.of("probs"));
            r.close();
            assertThrows(IllegalStateException.class, () -> r.get("probs"));
        }
    }

    @Test
    void aClosedGraphRefusesCallsAndFreesARunnerWhenItsResultIsClosed() {
        PlannedGraph planned = new PlannedGraph(graph());
        planned.run(input(4, 0), List.of("probs")).close();
        GraphResult open = planned.run(input(4, 0), List.of("probs"));
        planned.close();
        planned.close();
        assertEquals(4, open.get("probs").size(0), "a result still open stays readable");
        open.close(); // its runner is freed now, not kept: its pool's arrays are all back, or this would throw
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> planned.run(input(4, 0), List.of("probs")));
        assertTrue(e.getMessage().contains("after close"), e.getMessage());
    }

    @Test
    void concurrentCallersEachGetTheirOwnAnswer() throws Exception {
        SameDiff reference = graph();
        List<String> wanted = List.of("probs");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (PlannedGraph planned = new PlannedGraph(graph())) {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int seed = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 20; i++) {
                        Map<String, INDArray> in = input(3 + (i % 2), seed * 100 + i);
                        float[] expected;
                        synchronized (reference) {
                            expected = reference.output(in, wanted).get("probs").dup().data().asFloat();
                        }
                        try (GraphResult got = planned.run(in, wanted)) {
                            assertArrayEquals(expected, got.get("probs").dup().data().asFloat());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static AtomicInteger countOps(SameDiff sd) {
        AtomicInteger n = new AtomicInteger();
        sd.addListeners(new BaseListener() {
            @Override
            public boolean isActive(Operation operation) {
                return true;
            }

            @Override
            public void opExecution(SameDiff s, At at, MultiDataSet batch, SameDiffOp op, OpContext ctx,
                                    INDArray[] outputs) {
                n.incrementAndGet();
            }
        });
        return n;
    }
}
