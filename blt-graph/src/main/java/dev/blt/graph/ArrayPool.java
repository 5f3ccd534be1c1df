package dev.blt.graph;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Native arrays kept for reuse between graph calls, by type and length; an array is handed out as a c-order view
 * of the shape asked for. Reuse is the point: a fresh native array costs an allocation, zeroing and page faults,
 * and ND4J frees native memory only when it is closed or the GC runs. Not thread-safe: one pool per caller.
 */
final class ArrayPool implements AutoCloseable {
    private record Key(DataType type, long length) {
    }

    private static final class Base {
        final INDArray array;
        long lastUsed;

        Base(INDArray array) {
            this.array = array;
        }
    }

    private final Map<Key, ArrayDeque<Base>> free = new HashMap<>();
    private final Map<INDArray, Base> lent = new IdentityHashMap<>();
    private final long idleBudget;
    private long call;

    /** @param idleBudget bytes of arrays left unused by a whole call that the pool keeps anyway */
    ArrayPool(long idleBudget) {
        this.idleBudget = idleBudget;
    }

    /** An array of this type and shape, contents undefined, until {@link #release}d. */
    INDArray acquire(DataType type, long[] shape) {
        long length = 1;
        for (long d : shape) {
            length *= d;
        }
        ArrayDeque<Base> bases = free.get(new Key(type, length));
        Base base = bases == null || bases.isEmpty()
                ? new Base(Nd4j.createUninitialized(type, new long[]{Math.max(length, 1)}, 'c'))
                : bases.pop();
        base.lastUsed = call;
        INDArray view = base.array.reshape('c', shape);
        lent.put(view, base);
        return view;
    }

    void release(INDArray view) {
        Base base = lent.remove(view);
        if (base == null) {
            throw new IllegalArgumentException("array not lent by this pool");
        }
        free.computeIfAbsent(new Key(base.array.dataType(), base.array.length()), k -> new ArrayDeque<>()).push(base);
    }

    /**
     * Ends a call: if the arrays no call used since the last {@code endCall} exceed the idle budget, frees them
     * (the shapes of a stream of documents drift; the pool should not keep every one it has seen).
     */
    void endCall() {
        long idle = 0;
        for (ArrayDeque<Base> bases : free.values()) {
            for (Base b : bases) {
                idle += b.lastUsed < call ? bytes(b) : 0;
            }
        }
        if (idle > idleBudget) {
            for (ArrayDeque<Base> bases : free.values()) {
                List<Base> stale = new ArrayList<>();
                for (Base b : bases) {
                    if (b.lastUsed < call) {
                        stale.add(b);
                    }
                }
                bases.removeAll(stale);
                stale.forEach(b -> b.array.close());
            }
            free.values().removeIf(ArrayDeque::isEmpty);
        }
        call++;
    }

    /** Bytes held, lent or free. */
    long bytesHeld() {
        long total = 0;
        for (ArrayDeque<Base> bases : free.values()) {
            for (Base b : bases) {
                total += bytes(b);
            }
        }
        for (Base b : lent.values()) {
            total += bytes(b);
        }
        return total;
    }

    private static long bytes(Base b) {
        return b.array.length() * b.array.dataType().width();
    }

    /**
     * Takes back every lent array, for a call that failed: no one will read them. Any view of them still held
     * elsewhere then reads memory the pool may lend again.
     */
    void releaseAll() {
        for (INDArray view : new ArrayList<>(lent.keySet())) {
            release(view);
        }
    }

    /**
     * Frees every array. Arrays still lent are freed too, but the close then fails: a lent array is being read,
     * and freeing it under its reader would be a use after free (call {@link #releaseAll} first for a failed call).
     */
    @Override
    public void close() {
        int stillLent = lent.size();
        free.values().forEach(bases -> bases.forEach(b -> b.array.close()));
        free.clear();
        lent.values().forEach(b -> b.array.close());
        lent.clear();
        if (stillLent > 0) {
            throw new IllegalStateException("array pool closed with " + stillLent + " arrays still lent");
        }
    }
}
