package dev.blt.model;

/**
 * Rotary position tables, interleaved-pair layout, computed in float32 exactly as upstream's
 * {@code precompute_freqs_cis}: {@code inv_freq[i] = 1 / theta^(2i/head_dim)}, {@code angle = p * inv_freq[i]}.
 */
public final class Rope {
    private final int headDim;
    private final float[] invFreq;

    public Rope(int headDim, double theta) {
        this.headDim = headDim;
        this.invFreq = new float[headDim / 2];
        for (int i = 0; i < invFreq.length; i++) {
            float exponent = (float) (2 * i) / headDim;
            float power = (float) Math.pow(theta, exponent);
            invFreq[i] = 1.0f / power;
        }
    }

    public int headDim() {
        return headDim;
    }

    public float angle(long position, int pair) {
        return (float) position * invFreq[pair];
    }

    /**
     * Fills {@code cos} and {@code sinSigned} (each {@code headDim} floats per position, starting at {@code offset})
     * so that {@code out = x * cos + swapPairs(x) * sinSigned} rotates each pair (x[2i], x[2i+1]) by the angle:
     * cos is repeated over the pair, and the sine carries the sign {@code (-sin, +sin)}.
     */
    public void fill(long position, float[] cos, float[] sinSigned, int offset) {
        for (int i = 0; i < invFreq.length; i++) {
            float a = angle(position, i);
            float c = (float) Math.cos(a);
            float s = (float) Math.sin(a);
            cos[offset + 2 * i] = c;
            cos[offset + 2 * i + 1] = c;
            sinSigned[offset + 2 * i] = -s;
            sinSigned[offset + 2 * i + 1] = s;
        }
    }
}
