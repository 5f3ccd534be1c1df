package dev.blt.waterfill.core;

import dev.blt.waterfill.testing.Points;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** spec §12.2 item 9 and §12.3 item 19. */
class SphereCoordinatesTest {

    private static Placement radii(float[] r) {
        return new Placement(r, new int[r.length], null, null, null, new LinkedHashMap<>());
    }

    @Test
    void coordinatesKeepTheDirectionAndTakeTheRadius() {
        PointSet p = Points.random(500, 24, 1);
        float[] r = new float[500];
        SplittableRandom rng = new SplittableRandom(2);
        for (int i = 0; i < r.length; i++) {
            r[i] = (float) (32 + 480 * rng.nextDouble());
        }
        r[7] = 0;
        float[] before = p.embeddings().clone();
        SphereCoordinates c = SphereCoordinates.compute(p, radii(r), 42, false);
        assertArrayEquals(before, p.embeddings(), "not in place: the input is untouched");
        for (int i = 0; i < 500; i++) {
            double norm = 0;
            double dot = 0;
            for (int d = 0; d < 24; d++) {
                double s = c.sphere()[i * 24 + d];
                norm += s * s;
                dot += s * before[i * 24 + d];
            }
            norm = Math.sqrt(norm);
            double e = p.norm(i);
            assertTrue(Math.abs(norm - r[i]) <= r[i] * 1e-8 / (e + 1e-8) + 1e-5 * r[i] + 1e-6, "point " + i);
            if (r[i] > 0) {
                assertEquals(1, dot / (norm * e), 1e-6, "same direction");
            } else {
                assertEquals(0, norm, "zero radius gives the zero vector");
            }
            double cart = Math.sqrt(sq(c.cartesian()[3 * i]) + sq(c.cartesian()[3 * i + 1]) + sq(c.cartesian()[3 * i + 2]));
            assertEquals(r[i], cart, 1e-4 * (1 + r[i]));
            assertTrue(c.theta()[i] >= 0 && c.theta()[i] <= Math.PI);
            assertTrue(c.phi()[i] >= 0 && c.phi()[i] < 2 * Math.PI);
        }
    }

    private static double sq(double v) {
        return v * v;
    }

    @Test
    void projectedAnglesKeepSimilarEmbeddingsClose() {
        // two nearly identical rows and one opposite row
        float[] e = {1, 2, 3, 4, 1.01f, 2, 3, 4, -1, -2, -3, -4};
        PointSet p = new PointSet("t", 3, 4, e, new float[] {1, 1, 1}, null);
        SphereCoordinates c = SphereCoordinates.compute(p, radii(new float[] {1, 1, 1}), 42, false);
        double near = chord(c, 0, 1);
        double far = chord(c, 0, 2);
        assertTrue(near < 0.05 && Math.abs(far - 2) < 1e-5, near + " " + far);
    }

    private static double chord(SphereCoordinates c, int i, int j) {
        double s = 0;
        for (int a = 0; a < 3; a++) {
            s += sq(c.cartesian()[3 * i + a] - c.cartesian()[3 * j + a]);
        }
        return Math.sqrt(s);
    }

    @Test
    void sphericalRoundTrip() {
        SplittableRandom rng = new SplittableRandom(3);
        float[] xyz = new float[3];
        for (int t = 0; t < 10_000; t++) {
            double r = 1 + 500 * rng.nextDouble();
            double theta = Math.PI * rng.nextDouble();
            double phi = 2 * Math.PI * rng.nextDouble();
            Spherical.toCartesian(r, theta, phi, xyz, 0);
            double rr = Math.sqrt(sq(xyz[0]) + sq(xyz[1]) + sq(xyz[2]));
            assertEquals(r, rr, 1e-5 * r);
            assertEquals(theta, Spherical.theta(xyz[2], rr), 1e-3);
            if (Math.sin(theta) > 1e-2) {
                double back = Spherical.phi(xyz[0], xyz[1]);
                double diff = Math.abs(back - phi);
                assertTrue(Math.min(diff, 2 * Math.PI - diff) < 1e-3 / Math.sin(theta));
            }
        }
        assertEquals(0, Spherical.wrap(2 * Math.PI));
        assertEquals(Math.PI, Spherical.wrap(-Math.PI), 1e-15);
    }
}
