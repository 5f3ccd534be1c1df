package dev.blt.graph;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArrayPoolTest {
    @Test
    void reusesMemoryOfTheSameTypeAndLengthInAnyShape() {
        try (ArrayPool pool = new ArrayPool(0)) {
            INDArray a = pool.acquire(DataType.FLOAT, new long[]{4, 6});
            long address = a.data().address();
            pool.release(a);
            INDArray b = pool.acquire(DataType.FLOAT, new long[]{2, 3, 4});
            assertEquals(address, b.data().address(), "same 24 floats, other shape");
            assertArrayEquals(new long[]{2, 3, 4}, b.shape());
            assertEquals('c', b.ordering());
            INDArray c = pool.acquire(DataType.FLOAT, new long[]{24});
            assertNotEquals(address, c.data().address(), "lent arrays are not shared");
            INDArray d = pool.acquire(DataType.DOUBLE, new long[]{24});
            assertEquals(24 * 4 + 24 * 4 + 24 * 8, pool.bytesHeld());
            pool.release(b);
            pool.release(c);
            pool.release(d);
            assertThrows(IllegalArgumentException.class, () -> pool.release(d));
        }
    }

    @Test
    void freesWhatAWholeCallLeftUnusedBeyondTheBudget() {
        try (ArrayPool pool = new ArrayPool(1000)) {
            INDArray big = pool.acquire(DataType.FLOAT, new long[]{1000}); // 4000 bytes
            INDArray small = pool.acquire(DataType.FLOAT, new long[]{10});
            pool.release(big);
            pool.release(small);
            pool.endCall();
            assertEquals(4040, pool.bytesHeld(), "used in the call that ended: kept");
            pool.release(pool.acquire(DataType.FLOAT, new long[]{2, 5}));
            pool.endCall();
            assertEquals(40, pool.bytesHeld(), "4000 idle bytes over a 1000 budget: freed; the used 40 kept");
        }
    }

    @Test
    void closingWithArraysStillLentFailsNamingHowMany() {
        ArrayPool pool = new ArrayPool(0);
        pool.acquire(DataType.FLOAT, new long[]{4});
        pool.acquire(DataType.FLOAT, new long[]{8});
        pool.release(pool.acquire(DataType.DOUBLE, new long[]{2}));
        IllegalStateException e = assertThrows(IllegalStateException.class, pool::close);
        assertTrue(e.getMessage().contains("2 arrays still lent"), e.getMessage());
        assertEquals(0, pool.bytesHeld(), "everything freed all the same");
    }

    @Test
    void aFailedCallsArraysAreTakenBackBeforeClosing() {
        ArrayPool pool = new ArrayPool(0);
        pool.acquire(DataType.FLOAT, new long[]{4});
        pool.releaseAll();
        assertEquals(16, pool.bytesHeld(), "kept, free");
        pool.close();
        assertEquals(0, pool.bytesHeld());
    }
}
