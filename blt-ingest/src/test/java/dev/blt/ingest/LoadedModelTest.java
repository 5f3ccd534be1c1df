package dev.blt.ingest;

import dev.blt.model.Output;
import dev.blt.model.Precision;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoadedModelTest {
    private static final Path WEIGHTS = Path.of("..", "weights", "default.safetensors");
    private static final Set<Output> ENTROPIES = EnumSet.of(Output.ENTROPIES);

    private static long scoringThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().equals("blt-scoring-stream")).count();
    }

    @Test
    void loadingAndClosingRepeatedlyLeavesNoScoringThreads() throws IOException {
        long before = scoringThreads();
        for (int i = 0; i < 20; i++) {
            // two streams: the second row of each batch runs on a helper thread
            try (LoadedModel m = LoadedModel.load(WEIGHTS, null, Precision.FLOAT32, null, 2, w -> { })) {
                List<int[]> rows = List.of(new int[]{1, 72, 105, 2}, new int[]{1, 33, 2});
                assertEquals(2, m.scorer().scoreBatch(rows, ENTROPIES).size());
                assertTrue(scoringThreads() > before, "a helper thread while the model is open");
            }
        }
        assertEquals(before, scoringThreads(), "scoring threads left after 20 models were closed");
    }

    @Test
    void aClosedModelRefusesToScoreAndClosesOnce() throws IOException {
        LoadedModel m = LoadedModel.load(WEIGHTS, null, Precision.FLOAT32, null, 2, w -> { });
        m.close();
        m.close();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> m.scorer().score(new int[]{1, 72, 2}, ENTROPIES));
        assertTrue(e.getMessage().contains("scorer used after close"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> m.model().run(java.util.Map.of(), List.of()),
                "the model is closed too");
    }
}
