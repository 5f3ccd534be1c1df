package dev.blt.model;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The model holds its weights once in native memory: no hidden per-graph copies (Linux: reads /proc). */
class GraphMemoryTest {
    @Test
    void buildingTheModelCostsAboutOneCopyOfTheWeights() throws IOException {
        // 414 MB of float32 weights: large beside the noise of a JVM's resident size
        ModelConfig c = new ModelConfig(1024, 8, 8, null, null, 1.0, 256, 1e-5, 10000.0, 1024, 260, null,
                AttentionBias.CAUSAL, 2);
        ModelWeights w = ModelWeights.random(c, 3);
        LMTransformer.build(Fixtures.weights("base")).close(); // loads the native libraries, which are resident too
        long weightBytes = 4 * c.parameterCount();
        long before = residentBytes();
        long grown;
        try (LMTransformer built = LMTransformer.build(w)) {
            grown = residentBytes() - before;
        }
        assertTrue(grown < 1.5 * weightBytes, "building the model grew the resident size by " + grown / 1_000_000
                + " MB for " + weightBytes / 1_000_000 + " MB of weights");
    }

    /**
     * Replayed plans reuse their ops' native contexts, and a context keeps a native wrapper of every array set on it
     * until it is purged: unpurged, the scorings here grow the process well beyond the bound, while the arrays the
     * collector has yet to free stay well within it.
     */
    @Test
    void replayingAPlanThousandsOfTimesKeepsTheResidentSizeFlat() throws Exception {
        try (LMTransformer model = LMTransformer.build(Fixtures.weights("base"));
             SequenceScorer scorer = new SequenceScorer(model, 64)) {
            int[] tokens = new java.util.Random(5).ints(200, 4, 260).toArray();
            java.util.Set<Output> wanted = java.util.EnumSet.of(Output.ENTROPIES);
            for (int i = 0; i < 100; i++) {
                scorer.score(tokens, wanted);
            }
            long before = settledResidentBytes();
            int calls = 2000;
            for (int i = 0; i < calls; i++) {
                scorer.score(tokens, wanted);
            }
            long grown = settledResidentBytes() - before;
            assertTrue(grown < 120_000_000L, calls + " more scorings grew the resident size by " + grown / 1_000_000
                    + " MB");
        }
    }

    /**
     * The smallest resident size over a few collections: ND4J frees a collected array's native buffer on a
     * deallocator thread, a little after the collection.
     */
    private static long settledResidentBytes() throws Exception {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
            least = Math.min(least, residentBytes());
        }
        return least;
    }

    private static long residentBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
