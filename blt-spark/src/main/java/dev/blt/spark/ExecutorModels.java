package dev.blt.spark;

import dev.blt.ingest.LoadedModel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The entropy models of one executor JVM, loaded once and reused by every task that runs there. A SameDiff graph
 * and its scorer serve one thread at a time, so a task borrows a model for its duration and gives it back: an
 * executor running C tasks at once holds at most C copies, whatever the number of partitions.
 */
final class ExecutorModels {
    private record Key(Path weights, Path config, Integer chunk) {
    }

    private static final Map<Key, Queue<LoadedModel>> IDLE = new ConcurrentHashMap<>();

    private ExecutorModels() {
    }

    /** A model lent to one task; {@link #close} returns it to the pool. */
    static final class Lease implements AutoCloseable {
        private final Key key;
        private final LoadedModel model;

        private Lease(Key key, LoadedModel model) {
            this.key = key;
            this.model = model;
        }

        LoadedModel model() {
            return model;
        }

        @Override
        public void close() {
            IDLE.get(key).add(model);
        }
    }

    static Lease borrow(Path weights, Path config, Integer chunk) throws IOException {
        Key key = new Key(weights, config, chunk);
        LoadedModel m = IDLE.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>()).poll();
        if (m == null) {
            m = LoadedModel.load(weights, config, chunk, 1, w -> System.err.println("spark-ingest: warning: " + w));
        }
        return new Lease(key, m);
    }
}
