package dev.blt.model;

/**
 * A batch of equal-length rows for one training or evaluation step, row-major {@code [rows, length]}.
 *
 * @param inputs  token ids fed to the model
 * @param targets the next token of each input position (upstream {@code y})
 * @param mask    1 where the position's cross-entropy counts, 0 where it does not
 */
public record TrainingBatch(int rows, int length, int[] inputs, int[] targets, float[] mask) {
    public TrainingBatch {
        int n = rows * length;
        if (rows < 1 || length < 1 || inputs.length != n || targets.length != n || mask.length != n) {
            throw new IllegalArgumentException("batch arrays must all hold rows * length = " + n + " values");
        }
    }

    /** Number of positions whose loss counts. */
    public double maskedCount() {
        double s = 0;
        for (float m : mask) {
            s += m;
        }
        return s;
    }
}
