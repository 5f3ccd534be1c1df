package dev.blt.waterfill.config;

/**
 * Settings of the Langevin relaxation (spec §7). Defaults are the "Dev" scale profile of the Rust code.
 *
 * @param steps          number of Langevin steps
 * @param stepSize       h in x ← x + h·F + sqrt(2hT)·ξ; 0.5 cancels the radial error in one step
 * @param temperature    T (noise); 0 gives plain gradient descent
 * @param anneal         if true, T falls linearly from {@code temperature} to 0 over the steps
 * @param sigma          interaction radius σ of the similarity term exp(-d²/σ²)
 * @param neighbours     k of the kNN similarity graph (0 switches the similarity term off)
 * @param gamma          ideal radius r* = min + span·((rank + 0.5)/N)^(1/γ)
 * @param clipRadius     clip r to [min_radius, max_radius] after each step (the originals do not)
 * @param exactKnnBelow  below this many points the kNN graph is exact (brute force); above it, approximate (random-hyperplane sort)
 * @param hashTables     number of random-hyperplane orderings the approximate kNN searches
 */
public record LangevinConfig(int steps, double stepSize, double temperature, boolean anneal, double sigma,
                             int neighbours, double gamma, boolean clipRadius, int exactKnnBelow, int hashTables) {

    public static LangevinConfig defaults() {
        return new LangevinConfig(120, 0.5, 0.1, false, 1.0, 16, 1.5, true, 2048, 4);
    }

    public LangevinConfig {
        Checks.atLeast("langevin.steps", steps, 0);
        Checks.positive("langevin.step_size", stepSize);
        Checks.atLeast("langevin.temperature", temperature, 0);
        Checks.positive("langevin.sigma", sigma);
        Checks.atLeast("langevin.neighbours", neighbours, 0);
        Checks.positive("langevin.gamma", gamma);
        Checks.atLeast("langevin.exact_knn_below", exactKnnBelow, 0);
        Checks.atLeast("langevin.hash_tables", hashTables, 1);
    }
}
