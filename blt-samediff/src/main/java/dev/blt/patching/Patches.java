package dev.blt.patching;

/** Consecutive patches covering a sequence: {@code starts[i]} and {@code lengths[i]} (all positive). */
public record Patches(long[] starts, long[] lengths) {

    public int count() {
        return starts.length;
    }

    /** 1 at each position that starts a patch, over {@code length} positions (a start at S, if any, is dropped). */
    public long[] startMask(int length) {
        long[] mask = new long[length];
        for (long s : starts) {
            if (s < length) {
                mask[(int) s] = 1;
            }
        }
        return mask;
    }
}
