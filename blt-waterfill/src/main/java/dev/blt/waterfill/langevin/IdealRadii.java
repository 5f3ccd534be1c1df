package dev.blt.waterfill.langevin;

import dev.blt.waterfill.core.Ranking;

/**
 * r*_i = min + span·((rank_i + 0.5)/N)^(1/γ): a continuous capacity law — the share of points inside r* grows as
 * ((r* − min)/span)^γ. Every value lies strictly inside (min, max).
 */
public final class IdealRadii {
    private IdealRadii() {
    }

    /**
     * @param descending true: the highest score gets rank 0, i.e. the innermost radius (thrml-sphere);
     *                   false: the highest score goes outermost (TheSphere, the Python docs)
     */
    public static double[] compute(float[] score, double min, double max, double gamma, boolean descending) {
        int n = score.length;
        int[] order = Ranking.order(score, descending);
        double[] r = new double[n];
        for (int rank = 0; rank < n; rank++) {
            r[order[rank]] = min + (max - min) * Math.pow((rank + 0.5) / n, 1 / gamma);
        }
        return r;
    }
}
