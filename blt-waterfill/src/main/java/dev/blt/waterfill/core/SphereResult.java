package dev.blt.waterfill.core;

/** A placed point set: the input, the algorithm's decision and the coordinates derived from it. */
public record SphereResult(PointSet points, Placement placement, SphereCoordinates coordinates) {
}
