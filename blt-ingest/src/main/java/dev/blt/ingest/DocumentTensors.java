package dev.blt.ingest;

import dev.blt.model.Scores;
import dev.blt.patching.EntropyPatcher;
import dev.blt.patching.PatchOptions;
import dev.blt.patching.Patches;

/**
 * Everything stored for one document, per position ({@code S}) and per patch ({@code P}).
 *
 * @param tokens          [S] model input ids: BOS, byte + 4 ..., EOS
 * @param embeddings      [S, dim] hidden states before the final norm
 * @param prominence      [S] L2 norm of each embedding
 * @param entropies       [S] next-byte entropy in nats
 * @param patches         starts and lengths (upstream's rule, without the next-token position)
 * @param patchEmbeddings [P, dim] mean of the patch's embeddings
 * @param patchProminence [P] max prominence within the patch
 */
public record DocumentTensors(int[] tokens, int dim, float[] embeddings, float[] prominence, float[] entropies,
                             Patches patches, float[] patchEmbeddings, float[] patchProminence) {

    public static DocumentTensors of(int[] tokens, Scores s, int dim, PatchOptions options) {
        Patches p = EntropyPatcher.patches(s.entropies(), options);
        int n = p.count();
        float[] pe = new float[n * dim];
        float[] pp = new float[n];
        for (int k = 0; k < n; k++) {
            int start = (int) p.starts()[k];
            int len = (int) p.lengths()[k];
            double[] sum = new double[dim];
            float max = Float.NEGATIVE_INFINITY;
            for (int i = start; i < start + len; i++) {
                for (int j = 0; j < dim; j++) {
                    sum[j] += s.prenorm()[i * dim + j];
                }
                max = Math.max(max, s.norms()[i]);
            }
            for (int j = 0; j < dim; j++) {
                pe[k * dim + j] = (float) (sum[j] / len);
            }
            pp[k] = max;
        }
        return new DocumentTensors(tokens, dim, s.prenorm(), s.norms(), s.entropies(), p, pe, pp);
    }

    public int length() {
        return tokens.length;
    }

    /** min, max, mean and population standard deviation of the entropies. */
    public double[] entropyStats() {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        double sq = 0;
        for (float e : entropies) {
            min = Math.min(min, e);
            max = Math.max(max, e);
            sum += e;
            sq += (double) e * e;
        }
        int n = entropies.length;
        double mean = n == 0 ? 0 : sum / n;
        return new double[]{min, max, mean, n == 0 ? 0 : Math.sqrt(Math.max(0, sq / n - mean * mean))};
    }
}
