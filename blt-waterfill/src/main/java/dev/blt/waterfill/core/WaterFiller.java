package dev.blt.waterfill.core;

/** One placement algorithm: gives every point a radius and a shell. Implementations keep no state between calls. */
public interface WaterFiller {
    /**
     * Places the points. Must not modify {@code points}. Throws {@link IllegalArgumentException} when the input
     * cannot be placed by this algorithm (e.g. it needs entropies the input lacks).
     */
    Placement place(PointSet points);
}
