package dev.blt.model;

import java.util.LinkedHashMap;
import java.util.Map;

/** Upstream state-dict names and shapes ({@code [out, in]} for linear layers, as PyTorch stores them). */
public final class WeightNames {
    public static final String EMBEDDING = "tok_embeddings.weight";
    public static final String FINAL_NORM = "norm.weight";
    public static final String OUTPUT = "output.weight";

    private WeightNames() {
    }

    public static String wq(int layer) {
        return "layers." + layer + ".attention.wq.weight";
    }

    public static String wk(int layer) {
        return "layers." + layer + ".attention.wk.weight";
    }

    public static String wv(int layer) {
        return "layers." + layer + ".attention.wv.weight";
    }

    public static String wo(int layer) {
        return "layers." + layer + ".attention.wo.weight";
    }

    public static String w1(int layer) {
        return "layers." + layer + ".feed_forward.w1.weight";
    }

    public static String w2(int layer) {
        return "layers." + layer + ".feed_forward.w2.weight";
    }

    public static String w3(int layer) {
        return "layers." + layer + ".feed_forward.w3.weight";
    }

    public static String attentionNorm(int layer) {
        return "layers." + layer + ".attention_norm.weight";
    }

    public static String ffnNorm(int layer) {
        return "layers." + layer + ".ffn_norm.weight";
    }

    /** True for names in the model's own namespace, where an unexpected tensor is an error, not noise. */
    public static boolean inModelNamespace(String name) {
        return name.startsWith("layers.") || name.startsWith("tok_embeddings.") || name.startsWith("norm.")
                || name.startsWith("output.");
    }

    /** Every tensor the config needs, in state-dict order, with its shape. */
    public static Map<String, long[]> expected(ModelConfig c) {
        long d = c.dim();
        long q = (long) c.nHeads() * c.headDim();
        long kv = (long) c.kvHeads() * c.headDim();
        long f = c.ffnHidden();
        Map<String, long[]> m = new LinkedHashMap<>();
        m.put(EMBEDDING, new long[]{c.vocabSize(), d});
        for (int i = 0; i < c.nLayers(); i++) {
            m.put(wq(i), new long[]{q, d});
            m.put(wk(i), new long[]{kv, d});
            m.put(wv(i), new long[]{kv, d});
            m.put(wo(i), new long[]{d, q});
            m.put(w1(i), new long[]{f, d});
            m.put(w2(i), new long[]{d, f});
            m.put(w3(i), new long[]{f, d});
            m.put(attentionNorm(i), new long[]{d});
            m.put(ffnNorm(i), new long[]{d});
        }
        m.put(FINAL_NORM, new long[]{d});
        m.put(OUTPUT, new long[]{c.vocabSize(), d});
        return m;
    }
}
