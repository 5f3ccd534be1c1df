package dev.blt.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The scorer's default chunk (tokens per row per call) for a batch and for a lone sequence: a window's worth, at
 * least 256 and, for a wide window, at most {@link SequenceScorer#MAX_WINDOWED_CHUNK}, since a call's scores grow as
 * chunk x (chunk + window); never past max_seqlen. That any chunk gives the whole row's result is
 * {@link AttentionSemanticsTest}'s.
 */
class ScorerChunkTest {
    private static int[] defaults(Integer window, int maxSeqlen) {
        String attention = window == null ? "\"attn_bias_type\": \"causal\""
                : "\"sliding_window\": " + window + ", \"attn_bias_type\": \"local_block_causal\"";
        ModelConfig c = ModelConfig.parse("{\"dim\": 16, \"n_layers\": 1, \"n_heads\": 2, \"multiple_of\": 16,"
                + " \"vocab_size\": 260, \"max_seqlen\": " + maxSeqlen + ", " + attention + "}", "test", w -> { });
        try (LMTransformer model = LMTransformer.build(ModelWeights.random(c, 1));
             SequenceScorer scorer = new SequenceScorer(model, null, 1)) {
            return new int[]{scorer.chunkFor(8), scorer.chunkFor(1)};
        }
    }

    @Test
    void aWindowsWorthPerRowAndNoMoreThanTheCapForAWideWindow() {
        assertArrayEquals(new int[]{256, 512}, defaults(16, 16384));
        assertArrayEquals(new int[]{512, 1024}, defaults(512, 16384));
        assertArrayEquals(new int[]{1024, 2048}, defaults(1024, 16384));
        assertArrayEquals(new int[]{1024, 2048}, defaults(4096, 16384));
        assertArrayEquals(new int[]{1024, 1024}, defaults(8192, 1024));
        assertArrayEquals(new int[]{2048, 2048}, defaults(null, 2048));
    }
}
