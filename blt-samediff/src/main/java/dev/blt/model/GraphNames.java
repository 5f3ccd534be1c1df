package dev.blt.model;

/** Names of the SameDiff graph's placeholders, outputs and inspectable intermediates. */
public final class GraphNames {
    /** [B, C] int32 token ids of the chunk. */
    public static final String TOKENS = "tokens";
    /** [B, C, 1, head_dim] RoPE cosines, repeated over each pair. */
    public static final String ROPE_COS = "rope_cos";
    /** [B, C, 1, head_dim] RoPE sines with the pair sign (-sin, +sin). */
    public static final String ROPE_SIN = "rope_sin";
    /** [B, 1, C, P + C] additive attention mask over cached then new keys: 0 = may attend, -inf = may not. */
    public static final String MASK = "attn_mask";
    /** [B, C, vocab] logits. */
    public static final String LOGITS = "logits";
    /** [B, C, dim] hidden state before the final norm. */
    public static final String PRENORM = "prenorm";
    /** [B, C] L2 norm of the pre-norm state ("prominence"). */
    public static final String NORMS = "norms";
    /** [B, C] next-byte entropy in nats. */
    public static final String ENTROPIES = "entropies";
    /** [B, C, vocab] log-probabilities. */
    public static final String LOG_PROBS = "log_probs";
    public static final String EMBED = "embed";

    private GraphNames() {
    }

    /** [B, n_kv_heads, P, head_dim] RoPE'd keys of earlier positions, for layer {@code l}. */
    public static String keyCache(int l) {
        return "layer" + l + ".k_cache";
    }

    public static String valueCache(int l) {
        return "layer" + l + ".v_cache";
    }

    /** [B, n_kv_heads, C, head_dim] RoPE'd keys of this chunk, to carry into the next one. */
    public static String keys(int l) {
        return "layer" + l + ".k_new";
    }

    public static String values(int l) {
        return "layer" + l + ".v_new";
    }

    /**
     * [B, 1, n, m] additive mask of a banded graph's band {@code i} ({@link QueryBands}): its n queries over the m
     * keys before and up to its last query's own, the rows and columns of {@link #MASK} they are.
     */
    public static String maskBand(int i) {
        return "attn_mask.band" + i;
    }

    /** Per-layer intermediates, as upstream names them: attention_norm, attention, ffn_norm, feed_forward, out. */
    public static String layer(int l, String part) {
        return "layer" + l + "." + part;
    }
}
