package dev.blt.model;

import dev.blt.data.tokenizer.ByteTokenizer;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Masks and streaming against a dense brute-force oracle, beyond the fixtures' lengths. */
class AttentionSemanticsTest {
    private static final EnumSet<Output> ALL = EnumSet.of(Output.PRENORM, Output.ENTROPIES, Output.NORMS);

    private static int[] randomDocs(int n, long seed) {
        Random r = new Random(seed);
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = i == 0 ? ByteTokenizer.BOS_ID : r.nextInt(40) == 0 ? ByteTokenizer.EOS_ID : 4 + 97 + r.nextInt(26);
        }
        return t;
    }

    @Test
    void slidingWindowLongerThanWindowEqualsDenseMaskedOracle() {
        ModelWeights w = Fixtures.weights("swa"); // window 16, local_block_causal
        int[] tokens = randomDocs(150, 3);
        ReferenceForward ref = new ReferenceForward(w, tokens);
        try (LMTransformer model = LMTransformer.build(w, Precision.FLOAT64)) {
            for (int chunk : new int[]{150, 16, 5}) {
                Scores s = new SequenceScorer(model, chunk).score(tokens, ALL);
                for (int i = 0; i < tokens.length; i++) {
                    assertEquals(ref.entropies[i], s.entropies()[i], 1e-6, "chunk " + chunk + " position " + i);
                    for (int d = 0; d < w.config().dim(); d++) {
                        assertEquals(ref.prenorm[i][d], s.prenorm()[i * w.config().dim() + d], 1e-5);
                    }
                }
            }
            try (LMTransformer f32Model = LMTransformer.build(w)) {
                Scores f32 = new SequenceScorer(f32Model, 7).score(tokens, ALL);
                for (int i = 0; i < tokens.length; i++) {
                    assertEquals(ref.entropies[i], f32.entropies()[i], 5e-5, "float32 position " + i);
                }
            }
        }
    }

    /**
     * Chunks of at least {@link QueryBands#MIN_QUERIES} queries attend by bands: rows of different lengths batched
     * together (a first banded chunk with the shortest row padded, a banded one after the cache with the middle row
     * padded) against the dense oracle, for a sliding window with documents and for grouped-query causal attention;
     * then other rows through the plans recorded for the first (4 rows, a 590-token window after the cache).
     */
    @Test
    void bandedAttentionEqualsTheDenseOracle() {
        int chunk = 600;
        assertTrue(QueryBands.applies(chunk) && !QueryBands.applies(200));
        for (String config : List.of("swa", "gqa")) {
            ModelWeights w = Fixtures.weights(config);
            try (LMTransformer model = LMTransformer.build(w, Precision.FLOAT64)) {
                List<int[]> rows = List.of(randomDocs(1200, 5), randomDocs(900, 6), randomDocs(5, 7));
                List<int[]> others = List.of(randomDocs(1150, 8), randomDocs(1190, 9), randomDocs(580, 10),
                        randomDocs(700, 11));
                SequenceScorer scorer = new SequenceScorer(model, chunk);
                // the first call records each graph's ops through SameDiff; the later ones replay them, for other
                // shapes too
                for (String call : List.of("recorded", "replayed for other shapes", "replayed")) {
                    List<int[]> docs = call.startsWith("replayed for") ? others : rows;
                    List<Scores> batched = scorer.scoreBatch(docs, ALL);
                    for (int d = 0; d < docs.size(); d++) {
                        ReferenceForward ref = new ReferenceForward(w, docs.get(d));
                        for (int i = 0; i < docs.get(d).length; i++) {
                            // 5e-6: the RoPE tables are float32, as upstream's; the oracle's are double
                            assertEquals(ref.entropies[i], batched.get(d).entropies()[i], 5e-6,
                                    config + " " + call + " doc " + d + " position " + i);
                        }
                    }
                }
            }
        }
    }

    @Test
    void noAttentionCrossesDocuments() {
        try (LMTransformer model = LMTransformer.build(Fixtures.weights("swa"));
             SequenceScorer scorer = new SequenceScorer(model, 64)) {
            int[] a = ByteTokenizer.encode("The cat sat on the mat.", true, true);
            int[] a2 = ByteTokenizer.encode("Dogs bark at the moon!!", true, true);
            int[] b = ByteTokenizer.encode("Entropy patching groups predictable bytes.", true, true);
            float[] first = scorer.score(concat(a, b), ALL).entropies();
            float[] second = scorer.score(concat(a2, b), ALL).entropies();
            float[] alone = scorer.score(b, ALL).entropies();
            for (int i = 0; i < b.length; i++) {
                // same document b after different first documents: identical, because attention stops at the EOS
                assertEquals(first[a.length + i], second[a2.length + i], 0f, "position " + i);
            }
            // RoPE positions do not reset at documents, but RoPE only sees relative offsets inside the document,
            // so the document scored on its own agrees up to round-off
            float[] tail = java.util.Arrays.copyOfRange(first, a.length, first.length);
            assertTrue(Fixtures.maxAbsDiff(alone, tail) < 1e-4, "diff " + Fixtures.maxAbsDiff(alone, tail));
        }
    }

    @Test
    void batchedRowsSeeOnlyThemselves() {
        try (LMTransformer model = LMTransformer.build(Fixtures.weights("gqa"));
             SequenceScorer scorer = new SequenceScorer(model, 32)) {
            List<int[]> docs = List.of(randomDocs(70, 1), randomDocs(9, 2), randomDocs(33, 4), new int[0]);
            List<Scores> batched = scorer.scoreBatch(docs, ALL);
            // two threads, each scoring its share of the rows through the same graph, in the order given back; the
            // second time both replay the plans recorded the first time, at once
            List<Scores> streamed;
            try (SequenceScorer twoStreams = new SequenceScorer(model, 32, 2)) {
                twoStreams.scoreBatch(docs, ALL);
                streamed = twoStreams.scoreBatch(docs, ALL);
            }
            for (int d = 0; d < docs.size(); d++) {
                Scores alone = scorer.score(docs.get(d), ALL);
                assertEquals(docs.get(d).length, batched.get(d).length());
                assertEquals(docs.get(d).length, streamed.get(d).length());
                float diff = Fixtures.maxAbsDiff(alone.entropies(), batched.get(d).entropies());
                assertTrue(diff < 1e-5, "doc " + d + " differs by " + diff);
                float streamDiff = Fixtures.maxAbsDiff(alone.entropies(), streamed.get(d).entropies());
                assertTrue(streamDiff < 1e-5, "doc " + d + " differs by " + streamDiff + " when streamed");
            }
        }
    }

    @Test
    void causalityFutureTokensChangeNothingBefore() {
        try (LMTransformer model = LMTransformer.build(Fixtures.weights("base"));
             SequenceScorer scorer = new SequenceScorer(model, 512)) {
            int[] t = randomDocs(60, 9);
            float[] before = scorer.score(t, ALL).entropies();
            t[40] = t[40] == 110 ? 111 : 110;
            float[] after = scorer.score(t, ALL).entropies();
            assertArrayEquals(java.util.Arrays.copyOf(before, 40), java.util.Arrays.copyOf(after, 40));
        }
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
