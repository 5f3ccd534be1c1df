package dev.blt.model;

/**
 * Upstream's {@code LMTransformer} forward pass in plain Java and double precision, written straight from the
 * spec with a dense S x S mask: the reading copy of the model (start here), and the independent oracle the tests
 * hold the fast paths to, {@link LMTransformer}'s graphs and {@link TrainingPass}. Slow: small configs only.
 */
public final class ReferenceForward {
    /** [S][dim] the last layer's output, before the final norm. */
    public final double[][] prenorm;
    /** [S][vocab] next-byte logits. */
    public final double[][] logits;
    /** [S] next-byte entropy in nats. */
    public final double[] entropies;

    public ReferenceForward(ModelWeights w, int[] tokens) {
        ModelConfig c = w.config();
        int s = tokens.length;
        int d = c.dim();
        int hd = c.headDim();
        int h = c.nHeads();
        int kvh = c.kvHeads();
        int rep = h / kvh;
        int[] doc = RowState.documentIndex(tokens, c.eosId());
        Integer window = c.effectiveWindow();
        boolean docMasked = c.attnBiasType().documentMasked();
        double[][] x = new double[s][];
        float[] emb = w.get(WeightNames.EMBEDDING);
        for (int i = 0; i < s; i++) {
            x[i] = new double[d];
            for (int j = 0; j < d; j++) {
                x[i][j] = emb[tokens[i] * d + j];
            }
        }
        for (int l = 0; l < c.nLayers(); l++) {
            double[][] a = norm(x, w.get(WeightNames.attentionNorm(l)), c.normEps());
            double[][] q = rope(linear(a, w.get(WeightNames.wq(l)), h * hd), h, hd, c.ropeTheta());
            double[][] k = rope(linear(a, w.get(WeightNames.wk(l)), kvh * hd), kvh, hd, c.ropeTheta());
            double[][] v = linear(a, w.get(WeightNames.wv(l)), kvh * hd);
            double[][] att = new double[s][h * hd];
            for (int head = 0; head < h; head++) {
                int g = head / rep;
                for (int i = 0; i < s; i++) {
                    double[] sc = new double[s];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j <= i; j++) {
                        boolean ok = (window == null || i - j < window) && (!docMasked || doc[i] == doc[j]);
                        if (!ok) {
                            sc[j] = Double.NEGATIVE_INFINITY;
                            continue;
                        }
                        double dot = 0;
                        for (int t = 0; t < hd; t++) {
                            dot += q[i][head * hd + t] * k[j][g * hd + t];
                        }
                        sc[j] = dot / Math.sqrt(hd);
                        max = Math.max(max, sc[j]);
                    }
                    double z = 0;
                    for (int j = 0; j <= i; j++) {
                        z += sc[j] == Double.NEGATIVE_INFINITY ? 0 : Math.exp(sc[j] - max);
                    }
                    for (int j = 0; j <= i; j++) {
                        if (sc[j] == Double.NEGATIVE_INFINITY) {
                            continue;
                        }
                        double p = Math.exp(sc[j] - max) / z;
                        for (int t = 0; t < hd; t++) {
                            att[i][head * hd + t] += p * v[j][g * hd + t];
                        }
                    }
                }
            }
            add(x, linear(att, w.get(WeightNames.wo(l)), d));
            double[][] f = norm(x, w.get(WeightNames.ffnNorm(l)), c.normEps());
            int hidden = c.ffnHidden();
            double[][] g1 = linear(f, w.get(WeightNames.w1(l)), hidden);
            double[][] g3 = linear(f, w.get(WeightNames.w3(l)), hidden);
            for (int i = 0; i < s; i++) {
                for (int j = 0; j < hidden; j++) {
                    double z = g1[i][j];
                    g1[i][j] = z / (1 + Math.exp(-z)) * g3[i][j];
                }
            }
            add(x, linear(g1, w.get(WeightNames.w2(l)), d));
        }
        prenorm = x;
        logits = linear(norm(x, w.get(WeightNames.FINAL_NORM), c.normEps()), w.get(WeightNames.OUTPUT), c.vocabSize());
        entropies = new double[s];
        for (int i = 0; i < s; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (double z : logits[i]) {
                max = Math.max(max, z);
            }
            double sum = 0;
            for (double z : logits[i]) {
                sum += Math.exp(z - max);
            }
            double lse = max + Math.log(sum);
            for (double z : logits[i]) {
                entropies[i] -= Math.exp(z - lse) * (z - lse);
            }
        }
    }

    private static double[][] linear(double[][] x, float[] weight, int out) {
        int in = x[0].length;
        double[][] y = new double[x.length][out];
        for (int i = 0; i < x.length; i++) {
            for (int o = 0; o < out; o++) {
                double acc = 0;
                for (int j = 0; j < in; j++) {
                    acc += x[i][j] * weight[o * in + j];
                }
                y[i][o] = acc;
            }
        }
        return y;
    }

    private static double[][] norm(double[][] x, float[] gain, double eps) {
        double[][] y = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            double ms = 0;
            for (double v : x[i]) {
                ms += v * v;
            }
            double r = 1 / Math.sqrt(ms / x[i].length + eps);
            y[i] = new double[x[i].length];
            for (int j = 0; j < x[i].length; j++) {
                y[i][j] = x[i][j] * r * gain[j];
            }
        }
        return y;
    }

    /**
     * Interleaved pairs rotated by the angle p * theta^(-2i/hd), positions from 0 (upstream spec 1.4). The angle
     * table is float32 in upstream (its error at p = 300 is ~1e-5 rad), so it is taken from there.
     */
    private static double[][] rope(double[][] x, int heads, int hd, double theta) {
        Rope table = new Rope(hd, theta);
        for (int p = 0; p < x.length; p++) {
            for (int head = 0; head < heads; head++) {
                for (int i = 0; i < hd / 2; i++) {
                    double ang = table.angle(p, i);
                    int a = head * hd + 2 * i;
                    double x0 = x[p][a];
                    double x1 = x[p][a + 1];
                    x[p][a] = Math.cos(ang) * x0 - Math.sin(ang) * x1;
                    x[p][a + 1] = Math.sin(ang) * x0 + Math.cos(ang) * x1;
                }
            }
        }
        return x;
    }

    private static void add(double[][] x, double[][] y) {
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x[i].length; j++) {
                x[i][j] += y[i][j];
            }
        }
    }
}
