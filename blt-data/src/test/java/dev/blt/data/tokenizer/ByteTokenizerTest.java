package dev.blt.data.tokenizer;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ByteTokenizerTest {

    @Test
    void encodesLikeUpstream() {
        // upstream BltTokenizer().encode("Hello, world!") (spec 3.5)
        assertArrayEquals(new int[]{1, 76, 105, 112, 112, 115, 48, 36, 123, 115, 118, 112, 104, 37, 2},
                ByteTokenizer.encode("Hello, world!", true, true));
        assertArrayEquals(new int[]{76, 109}, ByteTokenizer.encode("Hi", false, false));
        assertArrayEquals(new int[]{1, 199, 192}, ByteTokenizer.encode("ü", true, false));
    }

    @Test
    void dropsLoneSurrogatesAsPythonIgnoreDoes() {
        assertArrayEquals(new int[]{'a' + 4, 'b' + 4}, ByteTokenizer.encode("a\uD800b", false, false));
        assertArrayEquals(new int[]{244, 163, 158, 132}, ByteTokenizer.encode("\uD83D\uDE80", false, false));
    }

    @Test
    void arbitraryBytesRoundTrip() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            byte[] bytes = new byte[rnd.nextInt(300)];
            rnd.nextBytes(bytes);
            int[] ids = ByteTokenizer.encode(bytes, trial % 2 == 0, trial % 3 == 0);
            for (int id : ids) {
                assertEquals(true, id >= 0 && id < ByteTokenizer.VOCAB_SIZE);
            }
            assertArrayEquals(bytes, ByteTokenizer.decodeBytes(ids));
        }
    }

    @Test
    void decodeDropsSpecialIdsAndInvalidUtf8() {
        int[] ids = {1, 76, 109, 3, 0xff + 4, 2};
        assertEquals("Hi", ByteTokenizer.decode(ids));
        assertEquals("Grüße 🚀", ByteTokenizer.decode(ByteTokenizer.encode("Grüße 🚀", true, true)));
        assertThrows(IllegalArgumentException.class, () -> ByteTokenizer.decode(new int[]{260}));
    }
}
