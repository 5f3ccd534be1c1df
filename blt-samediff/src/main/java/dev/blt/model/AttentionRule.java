package dev.blt.model;

/**
 * Which key a query may attend to, by absolute row position and EOS-delimited document index
 * (upstream's masks, {@code create_causal_mask} with xformers semantics).
 */
record AttentionRule(Integer window, boolean documentMasked) {

    static AttentionRule of(ModelConfig c) {
        return new AttentionRule(c.effectiveWindow(), c.attnBiasType().documentMasked());
    }

    boolean allows(long queryPos, int queryDoc, long keyPos, int keyDoc) {
        return keyPos <= queryPos
                && (window == null || queryPos - keyPos < window)
                && (!documentMasked || queryDoc == keyDoc);
    }

    /** How many trailing keys a row must keep for later queries; -1 for all of them. */
    int keysToKeep() {
        return window == null ? -1 : window - 1;
    }
}
