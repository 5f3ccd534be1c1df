package dev.blt.patching;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Upstream's entropy patcher for one sequence ({@code find_entropy_patch_start_ids},
 * {@code patch_lengths_from_start_ids} and {@code Patcher.patch}), bit-identical including its edge cases.
 * Comparisons run in float32, as upstream's on float32 entropies.
 */
public final class EntropyPatcher {
    private EntropyPatcher() {
    }

    /**
     * Patch start ids exactly as upstream returns them for one row: {@code [0, 1, k+2 for each selected k]}.
     * When nothing is selected, upstream pads the row with {@code mask_len + 2} values ({@code mask_len} of them);
     * that quirk is kept so results compare equal.
     */
    public static long[] startIds(float[] entropies, PatchOptions o) {
        int s = entropies.length;
        // e[k] is the entropy at position k + 1; the first entropy is dropped
        int eLen = Math.max(s - 1, 0);
        boolean[] mask = new boolean[eLen];
        float t = (float) o.threshold();
        for (int k = 0; k < eLen; k++) {
            float e = entropies[k + 1];
            if (o.monotonicity()) {
                mask[k] = k == 0 || e - entropies[k] > t;
            } else if (o.thresholdAdd() != null) {
                float tAdd = o.thresholdAdd().floatValue();
                mask[k] = k == 0 || (k > 1 && e - entropies[k] > tAdd && e > t);
            } else {
                mask[k] = e > t;
            }
        }
        int maskLen = o.includeNextToken() ? eLen : Math.max(eLen - 1, 0);
        List<Long> ids = new ArrayList<>();
        for (int k = 0; k < maskLen; k++) {
            if (mask[k]) {
                ids.add((long) k + 2);
            }
        }
        long[] out;
        if (ids.isEmpty()) {
            out = new long[2 + maskLen];
            Arrays.fill(out, 2, out.length, maskLen + 2L);
        } else {
            out = new long[2 + ids.size()];
            for (int i = 0; i < ids.size(); i++) {
                out[2 + i] = ids.get(i);
            }
        }
        out[1] = 1;
        return out;
    }

    /**
     * Patch lengths as upstream's {@code Patcher.patch} returns them for one row: from the start ids, split by
     * {@code max_patch_length}, trailing zeros cut. They sum to S, or S + 1 with {@code include_next_token}.
     */
    public static long[] lengths(float[] entropies, PatchOptions o) {
        long[] starts = startIds(entropies, o);
        long seqLen = entropies.length + (o.includeNextToken() ? 1 : 0);
        List<Long> lengths = new ArrayList<>();
        for (int i = 0; i < starts.length; i++) {
            long end = i + 1 < starts.length ? starts[i + 1] - 1 : seqLen - 1;
            long len = end - starts[i] + 1;
            if (len < 0) {
                throw new IllegalStateException("negative patch length; start ids " + Arrays.toString(starts));
            }
            split(len, o.maxPatchLength(), lengths);
        }
        int n = lengths.size();
        while (n > 0 && lengths.get(n - 1) == 0) {
            n--;
        }
        return lengths.subList(0, n).stream().mapToLong(Long::longValue).toArray();
    }

    private static void split(long len, Integer max, List<Long> out) {
        if (max == null || len <= max) {
            out.add(len);
            return;
        }
        long rest = len;
        while (rest > max) {
            out.add((long) max);
            rest -= max;
        }
        if (rest > 0) {
            out.add(rest);
        }
    }

    /** The patches as [start, length) pairs over positions 0..S(-1), without upstream's padding artefacts. */
    public static Patches patches(float[] entropies, PatchOptions o) {
        long[] lengths = lengths(entropies, o);
        int n = 0;
        for (long l : lengths) {
            if (l > 0) {
                n++;
            }
        }
        long[] starts = new long[n];
        long[] lens = new long[n];
        long pos = 0;
        int k = 0;
        for (long l : lengths) {
            if (l > 0) {
                starts[k] = pos;
                lens[k++] = l;
                pos += l;
            }
        }
        return new Patches(starts, lens);
    }
}
