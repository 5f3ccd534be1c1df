package dev.blt.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A lazy iterator of output rows, for tasks where one step of work yields zero or more rows (a document read with
 * the bad input before it; a document given to the pipeline, which yields the batch it completes).
 */
abstract class QueuedRows<T> implements Iterator<T> {
    /** Rows made and not yet returned. */
    protected final ArrayDeque<T> ready = new ArrayDeque<>();

    /** Does one step of work, adding any rows it yields to {@link #ready}; {@code false} when there is no more. */
    protected abstract boolean step() throws IOException;

    @Override
    public final boolean hasNext() {
        try {
            while (ready.isEmpty() && step()) {
                // each step may yield nothing: go on until a row or the end
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return !ready.isEmpty();
    }

    @Override
    public final T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return ready.poll();
    }
}
