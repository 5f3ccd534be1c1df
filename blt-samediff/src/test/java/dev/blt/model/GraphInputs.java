package dev.blt.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.HashMap;
import java.util.Map;

/** Placeholders for one whole sequence in one call, built independently of SequenceScorer (test oracle). */
final class GraphInputs {
    private GraphInputs() {
    }

    static Map<String, INDArray> single(ModelConfig c, int[] tokens) {
        int s = tokens.length;
        int hd = c.headDim();
        Rope rope = new Rope(hd, c.ropeTheta());
        float[] cos = new float[s * hd];
        float[] sin = new float[s * hd];
        for (int p = 0; p < s; p++) {
            rope.fill(p, cos, sin, p * hd);
        }
        int keys = s + 1; // one blocked cache column
        float[] mask = new float[s * keys];
        java.util.Arrays.fill(mask, -1e9f);
        for (int i = 0; i < s; i++) {
            for (int j = 0; j <= i; j++) {
                mask[i * keys + 1 + j] = 0f;
            }
        }
        Map<String, INDArray> in = new HashMap<>();
        in.put(GraphNames.TOKENS, Nd4j.createFromArray(tokens).reshape(1, s));
        in.put(GraphNames.ROPE_COS, Nd4j.create(cos, new long[]{1, s, 1, hd}, 'c'));
        in.put(GraphNames.ROPE_SIN, Nd4j.create(sin, new long[]{1, s, 1, hd}, 'c'));
        in.put(GraphNames.MASK, Nd4j.create(mask, new long[]{1, 1, s, keys}, 'c'));
        for (int l = 0; l < c.nLayers(); l++) {
            in.put(GraphNames.keyCache(l), Nd4j.zeros(DataType.FLOAT, 1, c.kvHeads(), 1, hd));
            in.put(GraphNames.valueCache(l), Nd4j.zeros(DataType.FLOAT, 1, c.kvHeads(), 1, hd));
        }
        return in;
    }
}
