package dev.blt.train;

/**
 * Upstream's learning-rate factor ({@code bytelatent/optim.py}), applied through {@code LambdaLR}: optimizer
 * update number {@code t} (counting from 0) uses {@code lr * factor(t)}. With warmup, {@code factor(0) = 0}, so
 * the first update has lr 0 (its Adam moments still move), exactly as upstream.
 */
public interface LrSchedule {
    double factor(long step);

    static LrSchedule constant() {
        return step -> 1.0;
    }

    /**
     * {@code lr_cosine}: linear warmup {@code step / warmup}, then a cosine from 1 down to {@code minRatio} at
     * {@code steps}, and {@code minRatio} beyond. Upstream's quirk is kept: at exactly {@code step == steps} the
     * cycle sign flips and the factor is 1.0 (the training loop never reaches that step).
     */
    static LrSchedule cosine(long warmup, long steps, double minRatio, double cycleLength, double theta) {
        if (warmup < 0 || steps <= warmup) {
            throw new IllegalArgumentException("cosine schedule needs 0 <= warmup < steps, got warmup " + warmup
                    + ", steps " + steps);
        }
        return step -> {
            double sign = Math.floorMod((long) Math.floor(step / (steps * cycleLength)), 2L) == 1 ? -1 : 1;
            if (step < warmup) {
                return (double) step / warmup;
            }
            if (step <= steps) {
                double s = (double) (step - warmup) / (steps - warmup);
                return minRatio + 0.5 * (1 - minRatio) * (sign * Math.cos(Math.PI * Math.pow(s, theta) / cycleLength) + 1);
            }
            return minRatio;
        };
    }
}
