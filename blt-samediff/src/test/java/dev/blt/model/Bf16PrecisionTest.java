package dev.blt.model;

import dev.blt.data.tensors.SafeTensorsFile;
import dev.blt.patching.EntropyPatcher;
import dev.blt.patching.PatchOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.util.EnumSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The bf16 forward pass against upstream's float32 tensors, and when it is refused. */
class Bf16PrecisionTest {

    @Test
    void bf16NeedsTheInstructions() {
        // flags lines of three CPUs: Zen 4, Sapphire Rapids (AMX), Skylake-SP (AVX-512 without bf16)
        assertTrue(Precision.hasBf16Instructions("fpu vme avx2 avx512f avx512bw avx512_bf16 avx512vbmi2 vaes"));
        assertTrue(Precision.hasBf16Instructions(" avx512f amx_bf16 amx_tile amx_int8\n"));
        assertFalse(Precision.hasBf16Instructions("fpu avx2 avx512f avx512dq avx512cd avx512bw avx512vl"));
        assertFalse(Precision.hasBf16Instructions(""));
        assertTrue(Precision.FLOAT32.supported());
        assertTrue(Precision.FLOAT64.supported());
        assertEquals(Precision.BF16, Precision.parse("bfloat16"));
        assertThrows(IllegalArgumentException.class, () -> Precision.parse("fp8"));
    }

    @Test
    void refusedWithoutTheInstructions() {
        assumeFalse(Precision.BF16.supported(), "this CPU has bf16 instructions");
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> LMTransformer.build(Fixtures.weights("base"), Precision.BF16));
        assertTrue(e.getMessage().contains("AVX512_BF16"), e.getMessage());
    }

    /**
     * Rounding the linear layers' inputs and weights to bfloat16 (8 significant bits) moves these small random-weight
     * models' entropies by up to ~0.2 nats and flips a few patch boundaries; a wrong layout or a lost scale would move
     * them by nats. Chunks of 37 (with the key cache) compute the same function as the whole sequence.
     */
    @ParameterizedTest
    @ValueSource(strings = {"base", "gqa", "swa"})
    void bf16StaysNearUpstream(String config) throws IOException {
        assumeTrue(Precision.BF16.supported(), "this CPU has no bf16 instructions");
        try (LMTransformer model = LMTransformer.build(Fixtures.weights(config), Precision.BF16);
             SequenceScorer whole = new SequenceScorer(model, 4096);
             SequenceScorer chunked = new SequenceScorer(model, 37);
             SafeTensorsFile st = Fixtures.tensors("entropy_" + config + ".safetensors")) {
            for (String seq : Fixtures.sequences(config)) {
                String p = "fixture." + seq + ".";
                String what = config + "/" + seq;
                int[] tokens = Fixtures.ints(st.readLongs(p + "tokens"));
                float[] expected = st.readFloats(p + "entropies");
                float[] got = whole.score(tokens, EnumSet.of(Output.ENTROPIES)).entropies();
                float[] inChunks = chunked.score(tokens, EnumSet.of(Output.ENTROPIES)).entropies();
                float d = Fixtures.maxAbsDiff(expected, got);
                assertTrue(d <= 0.3f, what + ": bf16 entropies " + d + " nats from float32");
                assertTrue(Fixtures.maxAbsDiff(got, inChunks) <= 0.05f, what + ": chunked bf16 differs from whole");
                double same = sameBoundaries(expected, got);
                assertTrue(same >= 0.95, what + ": only " + same + " of patch boundary decisions as in float32");
            }
        }
    }

    /** The share of positions where the default rule makes the same start-of-patch decision on both. */
    private static double sameBoundaries(float[] a, float[] b) {
        boolean[] x = starts(a);
        boolean[] y = starts(b);
        int same = 0;
        for (int i = 0; i < x.length; i++) {
            same += x[i] == y[i] ? 1 : 0;
        }
        return (double) same / x.length;
    }

    private static boolean[] starts(float[] entropies) {
        boolean[] s = new boolean[entropies.length];
        for (long i : EntropyPatcher.startIds(entropies, PatchOptions.defaults())) {
            s[(int) i] = true;
        }
        return s;
    }
}
