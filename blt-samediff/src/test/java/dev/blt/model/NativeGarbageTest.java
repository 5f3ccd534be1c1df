package dev.blt.model;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NativeGarbageTest {
    private static final long MB = 1L << 20;

    @Test
    void collectsWhenGrownPastTheBudgetAboveTheSmallestSizeSeen() {
        // resident sizes in MB as the checks see them; budget 100
        long[] sizes = {500, 450, 540, 551, 520, 530, 600, 631};
        List<Integer> collectedAt = new ArrayList<>();
        int[] i = {0};
        NativeGarbage g = new NativeGarbage(100 * MB, () -> sizes[i[0]] * MB, () -> collectedAt.add(i[0]));
        for (; i[0] < sizes.length; i[0]++) {
            g.check();
        }
        // 551 is 101 above the floor 450; the floor restarts at 551 and falls to 520 (the deallocator's late
        // frees), so 631 is 111 above it (80 above the size at the collection, which would not have counted)
        assertEquals(List.of(3, 7), collectedAt);
    }

    @Test
    void withoutProcNothingIsCollected() {
        int[] collections = {0};
        NativeGarbage g = new NativeGarbage(MB, () -> -1, () -> collections[0]++);
        g.check();
        g.check();
        assertEquals(0, collections[0]);
    }

    @Test
    void boundsTheNativeMemoryOfDroppedArrays() {
        long start = NativeGarbage.residentBytes();
        NativeGarbage g = NativeGarbage.ofProcess(200 * MB);
        long peak = 0;
        for (int n = 0; n < 40; n++) {
            // 50 MB of native memory, touched so that it is resident, then dropped without close(): as SameDiff
            // drops its reshape outputs. The Java heap sees a few hundred bytes per array and never asks for a GC.
            Nd4j.create(DataType.FLOAT, 50 * MB / 4).assign(1);
            g.check();
            peak = Math.max(peak, NativeGarbage.residentBytes() - start);
        }
        // 2 GB were dropped in all
        assertTrue(peak < 600 * MB, "the process grew by " + peak / MB + " MB");
    }
}
