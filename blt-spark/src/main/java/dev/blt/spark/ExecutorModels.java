package dev.blt.spark;

import dev.blt.ingest.LoadedModel;
import dev.blt.model.Precision;
import org.apache.arrow.util.AutoCloseables;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The entropy models of one executor JVM, loaded once and reused by every task that runs there. A SameDiff graph
 * and its scorer serve one thread at a time, so a task borrows a model for its duration and gives it back: an
 * executor running C tasks at once holds at most C copies, whatever the number of partitions. The pool owns the
 * models it loaded: they live as long as the executor, or until {@link #closeIdle}.
 */
final class ExecutorModels {
    private record Key(Path weights, Path config, Precision precision, Integer chunk) {
    }

    private static final Map<Key, Queue<LoadedModel>> IDLE = new ConcurrentHashMap<>();

    private ExecutorModels() {
    }

    /** A model lent to one task; {@link #close} returns it to the pool. */
    static final class Lease implements AutoCloseable {
        private final Key key;
        private final LoadedModel model;
        private final AtomicBoolean returned = new AtomicBoolean();

        private Lease(Key key, LoadedModel model) {
            this.key = key;
            this.model = model;
        }

        LoadedModel model() {
            return model;
        }

        /** Returns the model to the pool, once: a model given back twice would be lent to two tasks at a time. */
        @Override
        public void close() {
            if (returned.compareAndSet(false, true)) {
                IDLE.get(key).add(model);
            }
        }
    }

    static Lease borrow(Path weights, Path config, Precision precision, Integer chunk) throws IOException {
        Key key = new Key(weights, config, precision, chunk);
        LoadedModel m = IDLE.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>()).poll();
        if (m == null) {
            m = LoadedModel.load(weights, config, precision, chunk, 1,
                    w -> System.err.println("spark-ingest: warning: " + w));
        }
        return new Lease(key, m);
    }

    /**
     * Closes the models no task is using, freeing their native memory (a local-mode driver runs the tasks itself, and
     * outlives the job). Models lent meanwhile are returned to the pool as usual.
     */
    static void closeIdle() {
        List<LoadedModel> models = new ArrayList<>();
        for (Queue<LoadedModel> q : IDLE.values()) {
            for (LoadedModel m = q.poll(); m != null; m = q.poll()) {
                models.add(m);
            }
        }
        try {
            AutoCloseables.close(models);
        } catch (Exception e) {
            throw new IllegalStateException("could not free the executor's models", e);
        }
    }
}
