package dev.blt.data.tensors;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HalfFloatsTest {

    @Test
    void bf16KnownValues() {
        assertEquals((short) 0x3f80, HalfFloats.floatToBf16(1.0f));
        assertEquals((short) 0xc000, HalfFloats.floatToBf16(-2.0f));
        // 1.335442066192627 rounds to 1.3359375 in bf16 (upstream spec 3.3)
        assertEquals(1.3359375f, HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(1.335442066192627f)));
        // ties go to even: 1 + 2^-8 lies halfway between 1 and 1 + 2^-7
        assertEquals(1.0f, HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(1.0f + 0x1p-8f)));
        assertEquals(1.0f + 0x1p-6f, HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(1.0f + 0x1p-7f + 0x1p-8f)));
    }

    @Test
    void f16KnownValues() {
        assertEquals((short) 0x3c00, HalfFloats.floatToF16(1.0f));
        assertEquals((short) 0x7bff, HalfFloats.floatToF16(65504f));
        assertEquals((short) 0x7c00, HalfFloats.floatToF16(65520f)); // rounds up to infinity
        assertEquals((short) 0x0001, HalfFloats.floatToF16(0x1p-24f)); // smallest subnormal
        assertEquals(0x1p-24f, HalfFloats.f16ToFloat((short) 0x0001));
        assertEquals(-2.5f, HalfFloats.f16ToFloat(HalfFloats.floatToF16(-2.5f)));
        assertEquals(Float.NEGATIVE_INFINITY, HalfFloats.f16ToFloat((short) 0xfc00));
    }

    @Test
    void f16RoundTripsEveryHalfValue() {
        for (int bits = 0; bits < 0x10000; bits++) {
            float f = HalfFloats.f16ToFloat((short) bits);
            if (!Float.isNaN(f)) {
                assertEquals((short) bits, HalfFloats.floatToF16(f), "bits " + Integer.toHexString(bits));
            }
        }
    }
}
