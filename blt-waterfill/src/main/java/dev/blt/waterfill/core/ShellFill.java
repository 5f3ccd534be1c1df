package dev.blt.waterfill.core;

import dev.blt.waterfill.config.RadiusPlacement;
import dev.blt.waterfill.config.WaterFillConfig;

import java.io.Serializable;

/**
 * The exact algorithm's fill of N ranked points: shell k takes the ranks [start_k, start_k + capacity_k), and the
 * c-th point of a shell gets R_k or a radius interpolated by c across the shell's band. A function of (rank, N) only,
 * so the single-JVM filler and a distributed sort that numbers its points compute the same shell and radius.
 * Serializable: a Spark job broadcasts it.
 */
public final class ShellFill implements Serializable {
    private static final long serialVersionUID = 1L;

    private final ShellTable table;
    private final long[] capacity;
    /** end[k] = capacity_0 + ... + capacity_k: the first rank after shell k. */
    private final long[] end;
    private final boolean interpolate;

    public ShellFill(WaterFillConfig config, long n) {
        table = new ShellTable(config.targetShells(), config.minRadius(), config.maxRadius(), config.shellSpacing());
        capacity = table.capacities(n, config.capacityExponent());
        end = new long[capacity.length];
        long sum = 0;
        for (int k = 0; k < capacity.length; k++) {
            sum += capacity[k];
            end[k] = sum;
        }
        interpolate = config.radiusPlacement() == RadiusPlacement.INTERPOLATED;
    }

    public int shells() {
        return capacity.length;
    }

    public long capacity(int k) {
        return capacity[k];
    }

    /** The capacities as {@link Placement#capacities()} reports them. */
    public double[] capacities() {
        double[] c = new double[capacity.length];
        for (int k = 0; k < c.length; k++) {
            c[k] = capacity[k];
        }
        return c;
    }

    /** The shell of the point of this rank (0-based in the fill order): the first shell that ends after it. */
    public int shellOf(long rank) {
        int lo = 0;
        int hi = end.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (end[mid] > rank) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** The first rank of shell k. */
    public long start(int k) {
        return end[k] - capacity[k];
    }

    /** Radius of the c-th point (0-based, in fill order) of shell k. */
    public float radius(int k, long c) {
        if (!interpolate) {
            return (float) table.radius(k);
        }
        double lo = table.bandLow(k);
        return (float) (lo + (table.bandHigh(k) - lo) * (c + 0.5) / capacity[k]);
    }
}
