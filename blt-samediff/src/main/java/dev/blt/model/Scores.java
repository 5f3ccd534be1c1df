package dev.blt.model;

/**
 * Per-position results for one sequence of {@code length} tokens, row-major; arrays not asked for are null.
 *
 * @param logits   [length, vocab]
 * @param prenorm  [length, dim] hidden state before the final norm
 * @param norms    [length] L2 norms of {@code prenorm}
 * @param entropies [length] next-byte entropy in nats
 */
public record Scores(int length, float[] logits, float[] prenorm, float[] norms, float[] entropies) {
}
