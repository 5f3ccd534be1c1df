package dev.blt.waterfill.core;

/**
 * 3-D spherical coordinates, physics convention: θ ∈ [0, π] from the +z axis, φ ∈ [0, 2π) from +x towards +y.
 * (The Rust originals return φ in (−π, π]; we normalize, as their docs promise.)
 */
public final class Spherical {
    public static final double TWO_PI = 2 * Math.PI;

    private Spherical() {
    }

    /** Writes (x, y, z) of (r, θ, φ) into out[off..off+2]. */
    public static void toCartesian(double r, double theta, double phi, float[] out, int off) {
        double s = Math.sin(theta);
        out[off] = (float) (r * s * Math.cos(phi));
        out[off + 1] = (float) (r * s * Math.sin(phi));
        out[off + 2] = (float) (r * Math.cos(theta));
    }

    /** θ of a vector with norm r > 0; clipped so rounding cannot leave [0, π]. */
    public static double theta(double z, double r) {
        return r > 0 ? Math.acos(Math.max(-1, Math.min(1, z / r))) : Math.PI / 2;
    }

    /** φ = atan2(y, x) mapped into [0, 2π). */
    public static double phi(double x, double y) {
        double p = Math.atan2(y, x);
        if (p < 0) {
            p += TWO_PI;
        }
        return p >= TWO_PI ? 0 : p;
    }

    /** φ mod 2π into [0, 2π). */
    public static double wrap(double phi) {
        double p = phi % TWO_PI;
        if (p < 0) {
            p += TWO_PI;
        }
        return p >= TWO_PI ? 0 : p;
    }
}
