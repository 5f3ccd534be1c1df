package dev.blt.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * Collects the native memory of dropped ND4J arrays before it piles up. ND4J frees an array's native buffer only
 * when the garbage collector finds its Java wrapper unreachable, and SameDiff M2.1 leaves arrays of its reshape
 * and permute ops to the collector, while the Java heap, which they barely touch, rarely asks for a collection:
 * without one, the process grows with the length of a document. {@link #check}, called after each graph call,
 * collects when the resident size has grown by more than a budget.
 */
final class NativeGarbage {
    private static final Path STATM = Path.of("/proc/self/statm");
    /** The process's watcher, one as the memory it watches: dropped native memory may pile up by 256 MB. */
    static final NativeGarbage PROCESS = ofProcess(256L << 20);
    private static final long PAGE = 4096; // x86-64 Linux, the only platform of the native jars

    private final long budgetBytes;
    private final LongSupplier resident;
    private final Runnable collect;
    private long floor = Long.MAX_VALUE;

    NativeGarbage(long budgetBytes, LongSupplier resident, Runnable collect) {
        this.budgetBytes = budgetBytes;
        this.resident = resident;
        this.collect = collect;
    }

    /** Watches this process's resident size (where /proc exists) and collects with {@link System#gc}. */
    static NativeGarbage ofProcess(long budgetBytes) {
        return new NativeGarbage(budgetBytes, NativeGarbage::residentBytes, System::gc);
    }

    /**
     * Collects if the process has grown by more than the budget above the smallest size seen since the last
     * collection. The smallest, not the size right after the collection: ND4J's deallocator thread frees the
     * buffers a little later.
     */
    synchronized void check() {
        long now = resident.getAsLong();
        if (now < 0) {
            return;
        }
        floor = Math.min(floor, now);
        if (now - floor > budgetBytes) {
            collect.run();
            floor = now;
        }
    }

    /** Resident size from /proc/self/statm (second field, in pages), or -1 where there is no /proc. */
    static long residentBytes() {
        try {
            String[] fields = Files.readString(STATM).trim().split(" ");
            return Long.parseLong(fields[1]) * PAGE;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
