package dev.blt.waterfill.langevin;

import dev.blt.waterfill.core.PointSet;
import dev.blt.waterfill.testing.Points;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** spec §7.3 and §12.3 items 17, 18, 21, 22. */
class LangevinDynamicsTest {

    private static double[] randomPositions(int n, double scale, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] x = new double[3 * n];
        for (int i = 0; i < x.length; i++) {
            x[i] = scale * rng.nextGaussian();
        }
        return x;
    }

    private static double[] randomIdeal(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            r[i] = 50 + 400 * rng.nextDouble();
        }
        return r;
    }

    private static LangevinDynamics free(double[] x, double[] ideal) {
        return new LangevinDynamics(x, ideal, SimilarityGraph.empty(ideal.length), 1, 0, 1e9, false,
                new SplittableRandom(3));
    }

    @Test
    void halfStepReachesTheIdealRadiusInOneStep() {
        double[] ideal = randomIdeal(200, 1);
        LangevinDynamics d = free(randomPositions(200, 100, 2), ideal);
        d.step(0.5, 0);
        for (int i = 0; i < 200; i++) {
            assertEquals(ideal[i], d.radius(i), 1e-4);
        }
    }

    @Test
    void smallerStepsShrinkTheRadialErrorGeometrically() {
        double[] ideal = randomIdeal(100, 4);
        LangevinDynamics d = free(randomPositions(100, 200, 5), ideal);
        for (double h : new double[] {0.4, 0.3, 0.1}) {
            double[] before = new double[100];
            for (int i = 0; i < 100; i++) {
                before[i] = d.radius(i) - ideal[i];
            }
            d.step(h, 0);
            for (int i = 0; i < 100; i++) {
                assertEquals(Math.abs(1 - 2 * h) * before[i], d.radius(i) - ideal[i], 1e-9 * (1 + Math.abs(before[i])));
            }
        }
    }

    @Test
    void stationaryJitterMatchesTheory() {
        int n = 100;
        double[] ideal = new double[n];
        java.util.Arrays.fill(ideal, 300);
        double h = 0.5;
        double t = 0.1;
        LangevinDynamics d = free(randomPositions(n, 300, 6), ideal);
        d.step(h, t);
        double ss = 0;
        int samples = 0;
        for (int step = 0; step < 100; step++) {
            d.step(h, t);
            for (int i = 0; i < n; i++) {
                double e = d.radius(i) - 300;
                ss += e * e;
                samples++;
            }
        }
        double std = Math.sqrt(ss / samples);
        double expected = Math.sqrt(t / (2 * (1 - h)));
        assertEquals(expected, std, 0.15 * expected, "10^4 samples");
    }

    /** Clustered embeddings give a kNN graph with mostly positive weights; positions close enough to interact. */
    private static LangevinDynamics interacting(double sigma, long seed) {
        PointSet p = Points.clustered(60, 16, 4, seed);
        SimilarityGraph g = KnnGraph.build(p, 6, 4096, 1, seed);
        double[] ideal = new double[60];
        java.util.Arrays.fill(ideal, 4);
        return new LangevinDynamics(randomPositions(60, 3, seed + 1), ideal, g, sigma, 0, 1e9, false,
                new SplittableRandom(seed));
    }

    @Test
    void forceIsMinusTheGradientOfTheEnergy() {
        LangevinDynamics d = interacting(2.0, 7);
        double[] x = d.positions();
        double[] f = new double[x.length];
        d.forces(f);
        double eps = 1e-5;
        double lateralSeen = 0;
        for (int c = 0; c < x.length; c++) {
            double keep = x[c];
            x[c] = keep + eps;
            double up = d.energy();
            x[c] = keep - eps;
            double down = d.energy();
            x[c] = keep;
            double numeric = -(up - down) / (2 * eps);
            assertEquals(numeric, f[c], 1e-3 * Math.max(1, Math.abs(numeric)), "component " + c);
            lateralSeen = Math.max(lateralSeen, Math.abs(f[c] - gravityOnly(x, c, 4)));
        }
        assertTrue(lateralSeen > 1e-2, "the similarity term must take part in the check");
    }

    private static double gravityOnly(double[] x, int c, double ideal) {
        int i = c / 3;
        double r = Math.sqrt(x[3 * i] * x[3 * i] + x[3 * i + 1] * x[3 * i + 1] + x[3 * i + 2] * x[3 * i + 2]);
        return -2 * (r - ideal) * x[c] / r;
    }

    @Test
    void energyNeverRisesWithoutNoise() {
        LangevinDynamics d = interacting(2.0, 9);
        double e = d.energy();
        for (int step = 0; step < 100; step++) {
            d.step(0.05, 0);
            double next = d.energy();
            assertTrue(next <= e + 1e-9, "step " + step + ": " + e + " -> " + next);
            e = next;
        }
    }

    @Test
    void clippingKeepsRadiiInRange() {
        double[] ideal = randomIdeal(50, 8);
        LangevinDynamics d = new LangevinDynamics(randomPositions(50, 1000, 9), ideal, SimilarityGraph.empty(50), 1,
                100, 200, true, new SplittableRandom(1));
        d.step(0.2, 5);
        for (int i = 0; i < 50; i++) {
            assertTrue(d.radius(i) >= 100 - 1e-9 && d.radius(i) <= 200 + 1e-9);
        }
    }
}
