package dev.blt.model;

import java.util.Locale;

/** Upstream {@code attn_bias_type}: which keys a query may attend to. */
public enum AttentionBias {
    /** Every earlier position of the row, itself included. */
    CAUSAL,
    /** Causal, and only inside the query's EOS-delimited document. */
    BLOCK_CAUSAL,
    /** Block-causal and at most {@code sliding_window} keys, itself included (the released entropy model). */
    LOCAL_BLOCK_CAUSAL;

    public String upstreamName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean documentMasked() {
        return this != CAUSAL;
    }

    public static AttentionBias parse(String s) {
        for (AttentionBias b : values()) {
            if (b.upstreamName().equals(s)) {
                return b;
            }
        }
        throw new IllegalArgumentException("attn_bias_type '" + s + "' is not supported (causal, block_causal, local_block_causal)");
    }
}
