package dev.blt.waterfill.core;

import java.util.Collections;
import java.util.Map;

/**
 * What an algorithm decided: a radius and a shell per point, optionally its own 3-D angles (lateral and Langevin
 * move points on the sphere; the others leave the angles to a projection of the embedding), the capacity each shell
 * was meant to hold, and diagnostics (iterations, passes, ...).
 *
 * @param radii      [N]
 * @param shells     [N], in [0, capacities.length)
 * @param theta      [N] polar angle in [0, π], or null
 * @param phi        [N] azimuth in [0, 2π), or null
 * @param capacities [S] target points per shell (real-valued for the legacy laws), or null when the algorithm has no shells
 * @param info       diagnostics, in insertion order
 */
public record Placement(float[] radii, int[] shells, float[] theta, float[] phi, double[] capacities,
                        Map<String, Number> info) {

    public Placement {
        if (shells.length != radii.length) {
            throw new IllegalArgumentException(shells.length + " shells for " + radii.length + " radii");
        }
        if ((theta == null) != (phi == null) || theta != null && (theta.length != radii.length || phi.length != radii.length)) {
            throw new IllegalArgumentException("theta and phi must both be given for every point, or neither");
        }
        info = Collections.unmodifiableMap(info);
    }

    public int size() {
        return radii.length;
    }

    public boolean hasAngles() {
        return theta != null;
    }
}
