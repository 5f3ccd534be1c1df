package dev.blt.waterfill.core;

import dev.blt.waterfill.config.ShellSpacing;

/** Shell radii and the capacity law of the exact algorithm: capacities ∝ R_k^α, rounded to integers summing to N. */
public final class ShellTable implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final double[] radii;
    private final double min;
    private final double max;

    public ShellTable(int shells, double min, double max, ShellSpacing spacing) {
        this.min = min;
        this.max = max;
        this.radii = new double[shells];
        for (int k = 0; k < shells; k++) {
            double u = shells == 1 ? 0 : (double) k / (shells - 1);
            radii[k] = min + (max - min) * (spacing == ShellSpacing.SQRT ? Math.sqrt(u) : u);
        }
    }

    public int size() {
        return radii.length;
    }

    public double radius(int k) {
        return radii[k];
    }

    public double[] radii() {
        return radii.clone();
    }

    /** Lower edge of shell k's band: the midpoint to the shell below, or min_radius. */
    public double bandLow(int k) {
        return k == 0 ? min : (radii[k - 1] + radii[k]) / 2;
    }

    /** Upper edge of shell k's band: the midpoint to the shell above, or max_radius. */
    public double bandHigh(int k) {
        return k == radii.length - 1 ? max : (radii[k] + radii[k + 1]) / 2;
    }

    /** Real-valued capacities c_k = N·R_k^α / Σ_j R_j^α. */
    public double[] realCapacities(long n, double exponent) {
        return proportional(radii, n, exponent);
    }

    /** c_k = n·w_k^a / Σ_j w_j^a; all zero weights share equally. */
    public static double[] proportional(double[] w, long n, double exponent) {
        double[] c = new double[w.length];
        double sum = 0;
        for (int k = 0; k < w.length; k++) {
            c[k] = Math.pow(w[k], exponent);
            sum += c[k];
        }
        for (int k = 0; k < w.length; k++) {
            c[k] = sum > 0 ? n * c[k] / sum : (double) n / w.length;
        }
        return c;
    }

    /**
     * Integer capacities summing exactly to n: floors of the real capacities, then the missing units go to the
     * largest fractional remainders (ties to the lower shell), the Hamilton apportionment.
     */
    public int[] capacities(int n, double exponent) {
        return java.util.Arrays.stream(capacities((long) n, exponent)).mapToInt(Math::toIntExact).toArray();
    }

    /** The same for a point count beyond int: a fill spread over a cluster can place more than 2^31 points. */
    public long[] capacities(long n, double exponent) {
        return largestRemainder(realCapacities(n, exponent), n);
    }

    static long[] largestRemainder(double[] real, long n) {
        int s = real.length;
        long[] cap = new long[s];
        long assigned = 0;
        long[] order = new long[s];
        for (int k = 0; k < s; k++) {
            cap[k] = (long) Math.floor(real[k]);
            assigned += cap[k];
            double frac = real[k] - cap[k];
            // sort key: descending remainder (quantized to 2^-31), then ascending k
            long q = (long) ((1.0 - frac) * (1L << 31));
            order[k] = (q << 32) | k;
        }
        java.util.Arrays.sort(order);
        for (int i = 0; assigned < n; i++) {
            cap[(int) (order[i % s] & 0xffffffffL)]++;
            assigned++;
        }
        return cap;
    }

    /** Index of the shell radius nearest to r (lowest index on ties). */
    public int nearest(double r) {
        int lo = 0;
        int hi = radii.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (radii[mid] < r) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        // lo = first radius >= r; compare with its lower neighbour
        if (lo > 0 && r - radii[lo - 1] <= radii[lo] - r) {
            return lo - 1;
        }
        return lo;
    }
}
