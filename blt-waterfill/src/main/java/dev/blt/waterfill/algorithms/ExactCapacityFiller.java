package dev.blt.waterfill.algorithms;

import dev.blt.waterfill.config.Orientation;
import dev.blt.waterfill.config.WaterFillConfig;
import dev.blt.waterfill.core.Placement;
import dev.blt.waterfill.core.PointSet;
import dev.blt.waterfill.core.Ranking;
import dev.blt.waterfill.core.Scores;
import dev.blt.waterfill.core.ShellFill;
import dev.blt.waterfill.core.WaterFiller;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Exact-capacity water-filling, the default: what the osmotic loop meant to achieve, in one sort.
 * Points are ranked by score (ties by index) and poured into the shells from the inside out, each shell taking
 * exactly its integer capacity (∝ R_k^α, largest-remainder rounded to sum to N). The least prominent points fill the
 * core when prominent points go outward, and the most prominent when they go inward. O(N log N), deterministic.
 */
public final class ExactCapacityFiller implements WaterFiller {
    private final WaterFillConfig config;

    public ExactCapacityFiller(WaterFillConfig config) {
        this.config = config;
    }

    @Override
    public Placement place(PointSet points) {
        int n = points.n();
        ShellFill fill = new ShellFill(config, n);
        float[] score = Scores.compute(points, config.entropyMode(), config.entropyTemperature());
        // fill order: shell 0 first, so the first points in the order land innermost
        int[] order = Ranking.order(score, config.orientation() == Orientation.PROMINENT_INWARD);
        float[] radii = new float[n];
        int[] shells = new int[n];
        int j = 0;
        for (int k = 0; k < fill.shells(); k++) {
            for (int c = 0; c < fill.capacity(k); c++, j++) {
                int i = order[j];
                shells[i] = k;
                radii[i] = fill.radius(k, c);
            }
        }
        double[] caps = fill.capacities();
        Map<String, Number> info = new LinkedHashMap<>();
        info.put("occupied_shells", occupied(caps));
        return new Placement(radii, shells, null, null, caps, info);
    }

    /** Shells with a non-zero capacity: every one of them is filled. */
    public static int occupied(double[] capacity) {
        int o = 0;
        for (double c : capacity) {
            if (c > 0) {
                o++;
            }
        }
        return o;
    }
}
