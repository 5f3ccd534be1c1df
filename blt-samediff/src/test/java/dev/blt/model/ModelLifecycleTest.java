package dev.blt.model;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Who closes what: the scorer its threads, the model's builder the model. */
class ModelLifecycleTest {
    @Test
    void aScorerClosesItsThreadsButNotTheModel() {
        try (LMTransformer model = LMTransformer.build(Fixtures.weights("base"))) {
            int[] tokens = {1, 72, 105, 2};
            SequenceScorer first = new SequenceScorer(model, null, 2);
            float[] before = first.score(tokens, EnumSet.of(Output.ENTROPIES)).entropies();
            first.close();
            first.close();
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> first.scoreBatch(List.of(tokens), EnumSet.of(Output.ENTROPIES)));
            assertTrue(e.getMessage().contains("scorer used after close"), e.getMessage());
            try (SequenceScorer second = new SequenceScorer(model, null, 2)) {
                float[] after = second.score(tokens, EnumSet.of(Output.ENTROPIES)).entropies();
                assertEquals(before[1], after[1], 0f, "the model outlives a scorer closed on it");
            }
        }
    }

    @Test
    void aClosedModelRefusesCalls() {
        LMTransformer model = LMTransformer.build(Fixtures.weights("base"));
        model.close();
        model.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> model.run(Map.of(), List.of()));
        assertTrue(e.getMessage().contains("model used after close"), e.getMessage());
    }
}
