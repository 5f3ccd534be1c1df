package dev.blt.waterfill.inspect;

/**
 * How many points each shell holds, and against the capacities when the file has them.
 *
 * @param counts   points per shell; length = max(target_shells of the stored config, largest shell + 1)
 * @param capacity target per shell, or null
 */
public record ShellOccupancy(long[] counts, double[] capacity) {

    public int distinct() {
        int d = 0;
        for (long c : counts) {
            if (c > 0) {
                d++;
            }
        }
        return d;
    }

    /** max_k |count_k − capacity_k|, or NaN without capacities. */
    public double maxDeviation() {
        if (capacity == null) {
            return Double.NaN;
        }
        double m = 0;
        for (int k = 0; k < counts.length; k++) {
            m = Math.max(m, Math.abs(counts[k] - (k < capacity.length ? capacity[k] : 0)));
        }
        return m;
    }

    public String render() {
        StringBuilder sb = new StringBuilder(String.format("  shells: %d distinct of %d%n", distinct(), counts.length));
        sb.append("  histogram (shell:count):");
        int shown = 0;
        for (int k = 0; k < counts.length; k++) {
            if (counts[k] > 0) {
                if (shown++ % 8 == 0) {
                    sb.append("\n   ");
                }
                sb.append(String.format(" %d:%d", k, counts[k]));
            }
        }
        sb.append('\n');
        if (capacity != null) {
            int over = 0;
            int under = 0;
            for (int k = 0; k < counts.length; k++) {
                double cap = k < capacity.length ? capacity[k] : 0;
                if (counts[k] > cap + 0.5) {
                    over++;
                } else if (counts[k] < cap - 0.5) {
                    under++;
                }
            }
            sb.append(String.format("  occupancy vs capacity: %d shells over, %d under, max |count - capacity| = %.3f%n",
                    over, under, maxDeviation()));
        }
        return sb.toString();
    }
}
