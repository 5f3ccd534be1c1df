package dev.blt.graph;

import org.apache.arrow.util.AutoCloseables;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * A SameDiff inference graph run from recorded plans: the first call for a set of outputs (and placeholders given)
 * runs through SameDiff, which records what it executes ({@link GraphPlan}); later calls, of any shapes, replay that
 * plan with pooled arrays, so that streams of documents of varied lengths do not run most calls through SameDiff,
 * which is much slower than a replay. Safe for concurrent
 * callers: each call borrows a runner (its plans, its array pool), so memory grows with the number of callers at
 * once, not with the number of calls.
 */
public final class PlannedGraph implements AutoCloseable {
    /** Plans kept per runner: one per set of outputs asked for, of which the scorer asks a few. */
    private static final int PLANS_KEPT = 32;
    /** Arrays no call used lately that a runner keeps anyway, in bytes. */
    private static final long IDLE_BUDGET = 256L << 20;

    /**
     * Set to {@code false} to run every call through SameDiff's own session, recording and replaying nothing: the
     * same graphs, computed the plain way, to compare against the plans.
     */
    public static final String REPLAY_PROPERTY = "blt.graph.replay";

    private final SameDiff sd;
    private final boolean replay;
    private final OpRecorder recorder = new OpRecorder();
    private final ConcurrentLinkedDeque<Runner> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;

    /** Replays plans unless the system property {@value #REPLAY_PROPERTY} is {@code false}. */
    public PlannedGraph(SameDiff sd) {
        this(sd, Boolean.parseBoolean(System.getProperty(REPLAY_PROPERTY, "true")));
    }

    /** @param replay false: every call runs through SameDiff (see {@link #REPLAY_PROPERTY}) */
    public PlannedGraph(SameDiff sd, boolean replay) {
        this.sd = sd;
        this.replay = replay;
        sd.addListeners(recorder);
    }

    /** The outputs {@code wanted}, given every placeholder the graph reads; close the result when done with it. */
    public GraphResult run(Map<String, INDArray> placeholders, List<String> wanted) {
        if (closed) {
            throw new IllegalStateException("graph used after close");
        }
        Runner runner = idle.poll();
        if (runner == null) {
            runner = new Runner();
        }
        try {
            return runner.run(placeholders, wanted);
        } catch (RuntimeException e) {
            // no one reads the arrays of the failed call: take them back, and start afresh
            runner.pool.releaseAll();
            AutoCloseables.close(e, runner);
            throw e;
        }
    }

    /**
     * Frees the plans and arrays of every runner; a runner whose result is still open is freed when that result is
     * closed. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        closeIdle();
    }

    private void closeIdle() {
        List<Runner> runners = new ArrayList<>();
        for (Runner r = idle.poll(); r != null; r = idle.poll()) {
            runners.add(r);
        }
        try {
            AutoCloseables.close(runners);
        } catch (Exception e) {
            throw new IllegalStateException("could not free a graph's plans and arrays", e);
        }
    }

    /** A runner back from a call: kept for the next, or freed if the graph was closed meanwhile. */
    private void giveBack(Runner runner) {
        idle.push(runner);
        if (closed) {
            closeIdle();
        }
    }

    /** One caller's plans and arrays. */
    private final class Runner implements AutoCloseable {
        private final ArrayPool pool = new ArrayPool(IDLE_BUDGET);
        private final Map<String, GraphPlan> plans = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, GraphPlan> eldest) {
                if (size() > PLANS_KEPT) {
                    eldest.getValue().close();
                    return true;
                }
                return false;
            }
        };

        GraphResult run(Map<String, INDArray> placeholders, List<String> wanted) {
            String key = signature(placeholders, wanted);
            GraphPlan plan = replay ? plans.get(key) : null;
            if (plan == null) {
                Map<String, INDArray> out = throughSameDiff(placeholders, wanted, key);
                return new GraphResult(out, () -> {
                    out.values().forEach(a -> {
                        if (a.closeable()) {
                            a.close();
                        }
                    });
                    giveBack(this);
                });
            }
            GraphPlan.Call call = plan.run(placeholders, pool);
            return new GraphResult(call.outputs(), () -> {
                call.lent().forEach(pool::release);
                pool.endCall();
                giveBack(this);
            });
        }

        /** One call in a session of its own, recorded into a plan for later calls when replaying. */
        private Map<String, INDArray> throughSameDiff(Map<String, INDArray> placeholders, List<String> wanted,
                                                      String key) {
            long thread = Thread.currentThread().getId();
            sd.getSessions().put(thread, new InferenceSession(sd));
            if (!replay) {
                try {
                    return sd.output(placeholders, wanted);
                } finally {
                    endSession(thread);
                }
            }
            recorder.start();
            Map<String, INDArray> out;
            List<OpRecorder.Executed> executed;
            try {
                out = sd.output(placeholders, wanted);
            } finally {
                executed = recorder.stop();
                endSession(thread);
            }
            plans.put(key, GraphPlan.of(sd, executed, placeholders.keySet(), wanted));
            return out;
        }

        /**
         * Ends the SameDiff session a recording ran in (one per recording): the session keeps the arrays of its last
         * call and its cache of released ones for as long as it lives, and this runner replays plans with its own
         * pool instead of going back to it, so a kept session would only hold memory.
         */
        private void endSession(long thread) {
            InferenceSession session = sd.getSessions().remove(thread);
            if (session != null) {
                try {
                    session.getMmgr().close();
                } catch (Exception e) {
                    throw new IllegalStateException("could not free SameDiff's session arrays", e);
                }
            }
        }

        @Override
        public void close() throws Exception {
            List<AutoCloseable> owned = new ArrayList<>(plans.values());
            owned.add(pool);
            plans.clear();
            AutoCloseables.close(owned);
        }
    }

    /**
     * What a plan depends on: the outputs asked for and which placeholders are given, of which types. Not their
     * shapes: a plan computes each op's output shape anew for every call.
     */
    private static String signature(Map<String, INDArray> placeholders, List<String> wanted) {
        StringBuilder key = new StringBuilder(String.join(",", wanted));
        new TreeMap<>(placeholders).forEach((name, a) -> key.append(';').append(name).append(':').append(a.dataType()));
        return key.toString();
    }
}
