package dev.blt.patching;

import dev.blt.data.tensors.SafeTensorsFile;
import dev.blt.model.Fixtures;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class EntropyPatcherTest {

    @Test
    void realModelEntropiesFromUpstreamRepo() throws IOException {
        try (SafeTensorsFile st = SafeTensorsFile.open(Fixtures.file("patching_reference.safetensors"))) {
            float[] e = st.readFloats("ref.entropies");
            PatchOptions dflt = PatchOptions.defaults();
            // the upstream file's own 'start' column (spec 3.4 worked example)
            long[] flags = st.readLongs("ref.start_flags_upstream_file");
            assertArrayEquals(flags, EntropyPatcher.patches(e, dflt).startMask(e.length));
            assertArrayEquals(new long[]{0, 1, 2, 3, 4, 5, 20, 23, 26, 27, 28, 31, 43, 44, 45, 46, 47, 48, 53, 58, 59, 61, 62},
                    EntropyPatcher.startIds(e, dflt));
            int checked = 0;
            for (String name : st.tensors().keySet()) {
                if (name.startsWith("ref.patch_starts.")) {
                    PatchOptions o = parse(name.substring("ref.patch_starts.".length()));
                    assertArrayEquals(st.readLongs(name), EntropyPatcher.startIds(e, o), name);
                    checked++;
                } else if (name.startsWith("ref.patch_lengths.")) {
                    PatchOptions o = parse(name.substring("ref.patch_lengths.".length()));
                    assertArrayEquals(st.readLongs(name), EntropyPatcher.lengths(e, o), name);
                    checked++;
                }
            }
            assertEquals(38, checked);
        }
    }

    /** t&lt;threshold&gt;[.mono][.add&lt;x&gt;][.maxlen&lt;n&gt;][.next] */
    private static PatchOptions parse(String key) {
        boolean next = key.endsWith(".next");
        String k = next ? key.substring(0, key.length() - 5) : key;
        Integer maxLen = k.contains(".maxlen") ? Integer.parseInt(k.substring(k.indexOf(".maxlen") + 7)) : null;
        k = k.contains(".maxlen") ? k.substring(0, k.indexOf(".maxlen")) : k;
        Double add = k.contains(".add") ? Double.parseDouble(k.substring(k.indexOf(".add") + 4)) : null;
        k = k.contains(".add") ? k.substring(0, k.indexOf(".add")) : k;
        boolean mono = k.endsWith(".mono");
        k = mono ? k.substring(0, k.length() - 5) : k;
        return new PatchOptions(Double.parseDouble(k.substring(1)), add, mono, maxLen, next);
    }

    @Test
    void handComputedCases() {
        float[] e = {9f, 0.5f, 2f, 0.1f, 0.2f, 3f, 0.3f};
        PatchOptions t1 = new PatchOptions(1.0, null, false, null, false);
        // e[1:] = .5 2 .1 .2 3 .3 ; without next token the last is dropped: > 1 at k=1 (pos 2) and k=4 (pos 5)
        assertArrayEquals(new long[]{0, 1, 3, 6}, EntropyPatcher.startIds(e, t1));
        assertArrayEquals(new long[]{1, 2, 3, 1}, EntropyPatcher.lengths(e, t1));
        PatchOptions next = new PatchOptions(1.0, null, false, null, true);
        assertArrayEquals(new long[]{1, 2, 3, 2}, EntropyPatcher.lengths(e, next)); // sums to S + 1
        // monotonicity: rises .5->2 (1.5) and .2->3 (2.8); position 2 always starts
        PatchOptions mono = new PatchOptions(1.0, null, true, null, false);
        assertArrayEquals(new long[]{0, 1, 2, 3, 6}, EntropyPatcher.startIds(e, mono));
        // nothing above threshold: upstream pads with mask_len + 2 (mask_len = S - 2 = 5)
        assertArrayEquals(new long[]{0, 1, 7, 7, 7, 7, 7}, EntropyPatcher.startIds(e, t1.withThreshold(50)));
        assertArrayEquals(new long[]{1, 6}, EntropyPatcher.lengths(e, t1.withThreshold(50)));
        // max_patch_length: 16 -> 8 8, 17 -> 8 8 1 (spec 3.4)
        float[] flat = new float[18];
        PatchOptions cap = new PatchOptions(50, null, false, 8, false);
        assertArrayEquals(new long[]{1, 8, 8, 1}, EntropyPatcher.lengths(flat, cap));
        Patches p = EntropyPatcher.patches(flat, cap);
        assertArrayEquals(new long[]{0, 1, 9, 17}, p.starts());
        assertArrayEquals(new long[]{0}, EntropyPatcher.startIds(new float[1], t1).length == 2 ? new long[]{0} : null);
        assertArrayEquals(new long[]{1}, EntropyPatcher.lengths(new float[1], t1));
    }
}
