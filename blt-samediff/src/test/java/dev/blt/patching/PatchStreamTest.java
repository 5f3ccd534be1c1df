package dev.blt.patching;

import dev.blt.data.tensors.SafeTensorsFile;
import dev.blt.model.Fixtures;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PatchStreamTest {

    /** The streamed patches' start mask, for comparison with the whole-row patcher's. */
    private static long[] streamedMask(float[] entropies, PatchOptions o) {
        PatchStream stream = new PatchStream(o);
        long[] mask = new long[entropies.length];
        for (int i = 0; i < entropies.length; i++) {
            mask[i] = stream.startsPatch(entropies[i]) ? 1 : 0;
        }
        return mask;
    }

    private static List<PatchOptions> variants(double threshold) {
        List<PatchOptions> all = new ArrayList<>();
        for (Integer max : new Integer[]{null, 1, 3, 7}) {
            all.add(new PatchOptions(threshold, null, false, max, false));
            all.add(new PatchOptions(threshold, null, true, max, false));
            all.add(new PatchOptions(threshold, 0.25, false, max, false));
        }
        return all;
    }

    @Test
    void upstreamEntropiesGiveTheWholeRowPatches() throws IOException {
        try (SafeTensorsFile st = SafeTensorsFile.open(Fixtures.file("patching_reference.safetensors"))) {
            float[] e = st.readFloats("ref.entropies");
            for (PatchOptions o : variants(PatchOptions.DEFAULT_THRESHOLD)) {
                assertArrayEquals(EntropyPatcher.patches(e, o).startMask(e.length), streamedMask(e, o), o.toString());
            }
        }
    }

    @Test
    void randomRowsOfEveryLengthGiveTheWholeRowPatches() {
        Random r = new Random(7);
        for (int len = 1; len < 40; len++) {
            for (int trial = 0; trial < 20; trial++) {
                float[] e = new float[len];
                for (int i = 0; i < len; i++) {
                    // a coarse grid makes ties with the threshold and equal neighbours common
                    e[i] = r.nextInt(9) * 0.25f;
                }
                for (PatchOptions o : variants(r.nextInt(8) * 0.25)) {
                    assertArrayEquals(EntropyPatcher.patches(e, o).startMask(len), streamedMask(e, o), o + " " + len);
                }
            }
        }
    }

    @Test
    void theNextTokenPositionCannotBeStreamed() {
        assertThrows(IllegalArgumentException.class,
                () -> new PatchStream(new PatchOptions(1.0, null, false, null, true)));
    }
}
