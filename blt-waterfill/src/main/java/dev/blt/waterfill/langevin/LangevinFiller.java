package dev.blt.waterfill.langevin;

import dev.blt.waterfill.config.LangevinConfig;
import dev.blt.waterfill.config.Orientation;
import dev.blt.waterfill.config.WaterFillConfig;
import dev.blt.waterfill.core.Placement;
import dev.blt.waterfill.core.PointSet;
import dev.blt.waterfill.core.Scores;
import dev.blt.waterfill.core.ShellTable;
import dev.blt.waterfill.core.Spherical;
import dev.blt.waterfill.core.WaterFiller;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Energy-based placement (the THRML lineage, spec §7): every point gets an ideal radius from the rank of its score,
 * starts at r = ||e|| (clipped to [min, max] when clipping is on) in a uniformly random direction, and relaxes under
 * gravity towards r* plus attraction to its kNN neighbours. One generator, seeded once, draws the initial directions,
 * then the kNN hyperplanes, then the noise, so a seed reproduces the output bit for bit. The shells reported are the
 * nearest radii of the exact algorithm's shell table (for histograms; this algorithm has no capacities).
 */
public final class LangevinFiller implements WaterFiller {
    private final WaterFillConfig config;

    public LangevinFiller(WaterFillConfig config) {
        this.config = config;
    }

    @Override
    public Placement place(PointSet points) {
        LangevinConfig lc = config.langevin();
        int n = points.n();
        float[] score = Scores.compute(points, config.entropyMode(), config.entropyTemperature());
        double[] ideal = IdealRadii.compute(score, config.minRadius(), config.maxRadius(), lc.gamma(),
                config.orientation() == Orientation.PROMINENT_INWARD);
        SplittableRandom rng = new SplittableRandom(config.seed());
        double[] x = initialPositions(points, rng, lc.clipRadius());
        SimilarityGraph graph = KnnGraph.build(points, lc.neighbours(), lc.exactKnnBelow(), lc.hashTables(), rng.nextLong());
        LangevinDynamics dynamics = new LangevinDynamics(x, ideal, graph, lc.sigma(), config.minRadius(),
                config.maxRadius(), lc.clipRadius(), rng);
        double startEnergy = dynamics.energy();
        for (int t = 0; t < lc.steps(); t++) {
            double temperature = lc.anneal() ? lc.temperature() * (1 - (double) t / lc.steps()) : lc.temperature();
            dynamics.step(lc.stepSize(), temperature);
        }
        ShellTable table = new ShellTable(config.targetShells(), config.minRadius(), config.maxRadius(),
                config.shellSpacing());
        float[] radii = new float[n];
        float[] theta = new float[n];
        float[] phi = new float[n];
        int[] shells = new int[n];
        for (int i = 0; i < n; i++) {
            double r = dynamics.radius(i);
            radii[i] = (float) r;
            theta[i] = (float) Spherical.theta(x[3 * i + 2], r);
            phi[i] = (float) Spherical.phi(x[3 * i], x[3 * i + 1]);
            shells[i] = table.nearest(r);
        }
        Map<String, Number> info = new LinkedHashMap<>();
        info.put("steps", lc.steps());
        info.put("knn_edges", graph.edges());
        info.put("energy_start", startEnergy);
        info.put("energy_end", dynamics.energy());
        return new Placement(radii, shells, theta, phi, null, info);
    }

    /** r = ||e_i|| (clipped), direction uniform on the sphere: θ = acos(1 − 2u), φ = 2πu'. */
    private double[] initialPositions(PointSet points, SplittableRandom rng, boolean clip) {
        int n = points.n();
        double[] x = new double[3 * n];
        for (int i = 0; i < n; i++) {
            double r = points.norm(i);
            if (clip) {
                r = Math.max(config.minRadius(), Math.min(config.maxRadius(), r));
            }
            double theta = Math.acos(1 - 2 * rng.nextDouble());
            double phi = Spherical.TWO_PI * rng.nextDouble();
            x[3 * i] = r * Math.sin(theta) * Math.cos(phi);
            x[3 * i + 1] = r * Math.sin(theta) * Math.sin(phi);
            x[3 * i + 2] = r * Math.cos(theta);
        }
        return x;
    }
}
