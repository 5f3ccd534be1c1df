package dev.blt.waterfill.inspect;

import java.util.List;

/**
 * What {@code ./blt sphere inspect} reports about one file. The shell and correlation parts are present only for
 * water-filling outputs (files with {@code shells}, {@code radii} and {@code original_prominence}).
 *
 * @param file       the inspected file
 * @param arrays     per-array statistics, in file order
 * @param shells     shell occupancy, or null
 * @param radii      the radii (for plots), or null
 * @param prominence the original prominence (for plots), or null
 * @param cartesian  [N·3] points of the 3-D view (for plots), or null
 * @param pearson    Pearson correlation of radius and prominence (NaN when undefined)
 * @param spearman   Spearman rank correlation of radius and prominence (NaN when undefined)
 */
public record Inspection(String file, List<ArrayStats> arrays, ShellOccupancy shells, float[] radii,
                         float[] prominence, float[] cartesian, double pearson, double spearman) {

    public String render() {
        StringBuilder sb = new StringBuilder("Inspecting ").append(file).append('\n');
        for (ArrayStats a : arrays) {
            sb.append("  ").append(a.render()).append('\n');
        }
        if (shells != null) {
            sb.append(shells.render());
        }
        if (radii != null && prominence != null) {
            sb.append(String.format("  radius vs prominence: pearson=%s, spearman=%s%n", fmt(pearson), fmt(spearman)));
        }
        return sb.toString();
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "n/a" : String.format("%.4f", v);
    }
}
