package dev.blt.model;

import dev.blt.data.tensors.SafeTensorsFile;
import dev.blt.graph.GraphResult;
import dev.blt.graph.PlannedGraph;
import dev.blt.patching.EntropyPatcher;
import dev.blt.patching.PatchOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SameDiff model against tensors the upstream PyTorch code produced (fixtures/upstream). */
class FixtureParityTest {
    private static final EnumSet<Output> ALL = EnumSet.allOf(Output.class);

    /**
     * Float32 here and float32 in PyTorch each carry their own round-off: against a double-precision oracle both
     * are ~7e-6 off in entropy on 'para', so they can be 1.5e-5 apart. The double model removes our share and meets
     * the fixture README's 1e-5; the float model is held to 2e-5 and, like the double one, to identical patches
     * (the smallest decision margin in the fixtures is 6.7e-5).
     */
    @ParameterizedTest
    @CsvSource({"base,FLOAT32,2e-5", "gqa,FLOAT32,2e-5", "swa,FLOAT32,2e-5", "base,FLOAT64,1e-5", "gqa,FLOAT64,1e-5",
            "swa,FLOAT64,1e-5"})
    void everySequenceMatchesUpstream(String config, String precision, float entropyTol) throws IOException {
        checkEverySequence(config, precision, entropyTol);
    }

    /** The same graphs run the plain way, every call through SameDiff (the replay switch off), match upstream too. */
    @Test
    void withoutReplayedPlansEverySequenceMatchesUpstream() throws IOException {
        System.setProperty(PlannedGraph.REPLAY_PROPERTY, "false");
        try {
            checkEverySequence("swa", "FLOAT32", 2e-5f);
        } finally {
            System.clearProperty(PlannedGraph.REPLAY_PROPERTY);
        }
    }

    private static void checkEverySequence(String config, String precision, float entropyTol) throws IOException {
        // chunks of 37 force the carried key cache
        try (LMTransformer model = LMTransformer.build(Fixtures.weights(config), Precision.valueOf(precision));
             SequenceScorer whole = new SequenceScorer(model, 4096);
             SequenceScorer chunked = new SequenceScorer(model, 37)) {
            try (SafeTensorsFile st = Fixtures.tensors("entropy_" + config + ".safetensors")) {
                for (String seq : Fixtures.sequences(config)) {
                    String p = "fixture." + seq + ".";
                    int[] tokens = Fixtures.ints(st.readLongs(p + "tokens"));
                    // each scorer twice: the first call of a shape runs through SameDiff, the next replays its plan
                    for (SequenceScorer scorer : List.of(whole, whole, chunked, chunked)) {
                        Scores s = scorer.score(tokens, ALL);
                        String what = config + "/" + precision + "/" + seq;
                        assertClose(st.readFloats(p + "logits"), s.logits(), 1e-4f, what + " logits");
                        assertClose(st.readFloats(p + "prenorm"), s.prenorm(), 1e-4f, what + " prenorm");
                        assertClose(st.readFloats(p + "norms"), s.norms(), 1e-4f, what + " norms");
                        assertClose(st.readFloats(p + "entropies"), s.entropies(), entropyTol, what + " entropies");
                        checkPatches(st, p, s.entropies());
                    }
                }
            }
        }
    }

    /** Every patch_starts.* / patch_lengths.* key of the fixture, with options decoded from the key. */
    private static void checkPatches(SafeTensorsFile st, String prefix, float[] entropies) throws IOException {
        int starts = 0;
        int lengths = 0;
        for (String name : st.tensors().keySet()) {
            if (name.startsWith(prefix + "patch_starts.")) {
                PatchOptions o = PatchKeys.parse(name.substring((prefix + "patch_starts.").length()));
                assertArrayEquals(st.readLongs(name), EntropyPatcher.startIds(entropies, o), name);
                starts++;
            } else if (name.startsWith(prefix + "patch_lengths.")) {
                PatchOptions o = PatchKeys.parse(name.substring((prefix + "patch_lengths.").length()));
                assertArrayEquals(st.readLongs(name), EntropyPatcher.lengths(entropies, o), name);
                lengths++;
            }
        }
        assertEquals(14, starts, "patch_starts keys under " + prefix);
        assertEquals(16, lengths, "patch_lengths keys under " + prefix);
    }

    @Test
    void perLayerIntermediatesAndRopeMatch() throws IOException {
        try (LMTransformer model = LMTransformer.build(Fixtures.weights("base"))) {
            ModelConfig c = model.config();
            try (SafeTensorsFile st = Fixtures.tensors("entropy_base.safetensors")) {
                int[] tokens = Fixtures.ints(st.readLongs("fixture.short.tokens"));
                Map<String, String> wanted = new HashMap<>();
                wanted.put(GraphNames.EMBED, "fixture.short.debug.embed");
                for (int l = 0; l < c.nLayers(); l++) {
                    for (String part : List.of("attention_norm", "attention", "ffn_norm", "feed_forward", "out", "q_rope", "k_rope")) {
                        wanted.put(GraphNames.layer(l, part), "fixture.short.debug.layer" + l + "." + part);
                    }
                }
                List<String> names = List.copyOf(wanted.keySet().stream().filter(k -> st.contains(wanted.get(k))).toList());
                for (String call : List.of("recorded call", "planned call")) { // the second replays the first's plan
                    try (GraphResult out = model.run(GraphInputs.single(c, tokens), names)) {
                        assertTrue(out.arrays().size() >= 11, "intermediates found: " + out.arrays().keySet());
                        for (Map.Entry<String, org.nd4j.linalg.api.ndarray.INDArray> e : out.arrays().entrySet()) {
                            float[] got = e.getValue().dup('c').data().asFloat();
                            assertClose(st.readFloats(wanted.get(e.getKey())), got, 1e-4f, call + ": " + e.getKey());
                        }
                    }
                }
                float[] cosRef = st.readFloats("fixture.rope.cos");
                float[] sinRef = st.readFloats("fixture.rope.sin");
                Rope rope = new Rope(c.headDim(), c.ropeTheta());
                int half = c.headDim() / 2;
                float[] cos = new float[c.headDim()];
                float[] sin = new float[c.headDim()];
                float worst = 0;
                for (int pos = 0; pos < cosRef.length / half; pos++) {
                    rope.fill(pos, cos, sin, 0);
                    for (int i = 0; i < half; i++) {
                        worst = Math.max(worst, Math.abs(cos[2 * i] - cosRef[pos * half + i]));
                        worst = Math.max(worst, Math.abs(sin[2 * i + 1] - sinRef[pos * half + i]));
                        assertEquals(-sin[2 * i + 1], sin[2 * i]);
                    }
                }
                assertTrue(worst <= 2e-6f, "rope table differs by " + worst);
            }
        }
    }

    static void assertClose(float[] expected, float[] actual, float tol, String what) {
        float d = Fixtures.maxAbsDiff(expected, actual);
        assertTrue(d <= tol, what + ": max abs diff " + d + " > " + tol);
    }
}
