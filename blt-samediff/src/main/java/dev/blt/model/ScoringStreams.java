package dev.blt.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Scores groups of rows at the same time, one group per thread, all through the same graph (each call borrows its
 * own plans and arrays; a call SameDiff runs itself, to record a plan, runs in a session of its own). Within one
 * stream the cores idle during ops that do not parallelise well; two streams of one native thread each keep both
 * cores of a 2-core machine busy. The native threads
 * the process has are divided among the streams still running: a stream left alone with the long rows of a batch
 * gets them all back. The threads live until {@link #close}.
 */
final class ScoringStreams implements AutoCloseable {
    private final int count;
    private final ExecutorService helpers;

    ScoringStreams(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("streams must be at least 1, got " + count);
        }
        this.count = count;
        this.helpers = count == 1 ? null : Executors.newFixedThreadPool(count - 1, r -> {
            Thread t = new Thread(r, "blt-scoring-stream");
            t.setDaemon(true);
            return t;
        });
    }

    /** How many groups of rows run at once. */
    int count() {
        return count;
    }

    /** Rows dealt into at most {@link #count} groups of similar token counts, longest rows first. */
    List<List<RowState>> split(List<RowState> rows) {
        int n = Math.min(count, rows.size());
        List<List<RowState>> groups = new ArrayList<>();
        long[] tokens = new long[n];
        for (int g = 0; g < n; g++) {
            groups.add(new ArrayList<>());
        }
        List<RowState> longestFirst = new ArrayList<>(rows);
        longestFirst.sort(Comparator.comparingInt(RowState::remaining).reversed());
        for (RowState r : longestFirst) {
            int g = 0;
            for (int i = 1; i < n; i++) {
                g = tokens[i] < tokens[g] ? i : g;
            }
            groups.get(g).add(r);
            tokens[g] += r.remaining();
        }
        return groups;
    }

    /**
     * Runs {@code work} on the rows {@link #split} into groups: one group on the calling thread as it is; several
     * the first on the calling thread, the others on the helpers, with the native threads divided among the groups
     * still running, and restored after.
     */
    void run(List<RowState> rows, Consumer<List<RowState>> work) {
        List<List<RowState>> groups = split(rows);
        if (groups.size() <= 1) {
            work.accept(rows);
            return;
        }
        int total = NativeThreads.current();
        AtomicInteger running = new AtomicInteger(groups.size());
        NativeThreads.set(Math.max(1, total / groups.size()));
        Consumer<List<RowState>> counted = g -> {
            try {
                work.accept(g);
            } finally {
                int left = running.decrementAndGet();
                if (left > 0) {
                    NativeThreads.set(Math.max(1, total / left));
                }
            }
        };
        try {
            runAll(groups, counted);
        } finally {
            NativeThreads.set(total);
        }
    }

    private void runAll(List<List<RowState>> groups, Consumer<List<RowState>> work) {
        List<Future<?>> others = new ArrayList<>();
        for (List<RowState> g : groups.subList(1, groups.size())) {
            others.add(helpers.submit(() -> work.accept(g)));
        }
        // an Error (out of memory) ends the call like an exception, but only once every group has stopped
        Throwable failure = null;
        try {
            work.accept(groups.get(0));
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        for (Future<?> f : others) {
            try {
                f.get();
            } catch (ExecutionException e) {
                failure = failure != null ? failure : e.getCause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = failure != null ? failure : new IllegalStateException("interrupted while scoring", e);
            }
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        if (failure instanceof Error er) {
            throw er;
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }

    /** Stops the helper threads, waiting for them to end so that none outlives the scorer. Idempotent. */
    @Override
    public void close() {
        if (helpers == null || helpers.isTerminated()) {
            return;
        }
        helpers.shutdown();
        try {
            if (!helpers.awaitTermination(1, TimeUnit.MINUTES)) {
                throw new IllegalStateException("scoring streams still running a minute after close");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
