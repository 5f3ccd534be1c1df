package dev.blt.model;

/** {@code log(sum(exp(z)))} over a row of logits, in double, shifted by the row's maximum so that no exp overflows. */
public final class LogSumExp {
    private LogSumExp() {
    }

    /** Of {@code z[from .. from + n)}. */
    public static double of(double[] z, int from, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = from; j < from + n; j++) {
            max = Math.max(max, z[j]);
        }
        double sum = 0;
        for (int j = from; j < from + n; j++) {
            sum += Math.exp(z[j] - max);
        }
        return max + Math.log(sum);
    }
}
