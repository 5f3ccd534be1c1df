package dev.blt.train;

import dev.blt.model.AttentionBias;
import dev.blt.model.ModelConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainConfigTest {
    private static final Path CONFIGS = Path.of("../configs");

    @Test
    void shippedConfigsParse() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(CONFIGS)) {
            // the training configs; ingest.yaml and waterfill.yaml are checked by their own commands' tests
            files = s.filter(p -> p.getFileName().toString().matches("(train|finetune|default)-.*\\.yaml")).sorted().toList();
        }
        assertTrue(files.size() >= 3, "configs: " + files);
        int stages = 0;
        for (Path f : files) {
            for (Path stage : TrainRecipe.load(f).stages()) {
                TrainConfig c = TrainConfig.load(stage);
                assertTrue(c.steps > 0 && !c.data.inputs.isEmpty(), stage.toString());
                stages++;
            }
        }
        assertTrue(stages > files.size(), "configs/default-model.yaml runs the default model's stages");
        assertEquals(List.of("default-mix.yaml", "default-mix-continue.yaml", "default-copy-short.yaml",
                        "default-copy-gap.yaml", "default-copy-long.yaml", "default-copy-mix.yaml",
                        "default-copy-settle.yaml", "default-copy-inside.yaml", "default-copy-starts.yaml",
                        "default-copy-lines.yaml", "default-copy-far.yaml"),
                TrainRecipe.load(CONFIGS.resolve("default-model.yaml")).stages().stream()
                        .map(p -> p.getFileName().toString()).toList());
        TrainConfig tiny = TrainConfig.load(CONFIGS.resolve("train-tiny.yaml"));
        ModelConfig m = tiny.modelConfig(CONFIGS.resolve("train-tiny.yaml"), w -> { throw new AssertionError(w); });
        assertEquals(AttentionBias.LOCAL_BLOCK_CAUSAL, m.attnBiasType());
        assertEquals(192, m.ffnHidden());
        assertEquals(0.0, tiny.optim.schedule(tiny.steps).factor(0));
        assertEquals(null, TrainConfig.load(CONFIGS.resolve("finetune-released.yaml")).model);
    }

    @Test
    void mistakesNameTheFileAndTheKey(@TempDir Path dir) throws IOException {
        Path typo = dir.resolve("typo.yaml");
        Files.writeString(typo, "steps: 10\ndata:\n  inputs: [a]\n  sequence_length: 5\n");
        IOException e = assertThrows(IOException.class, () -> TrainConfig.load(typo));
        assertTrue(e.getMessage().startsWith(typo + ": ") && e.getMessage().contains("sequence_length"), e.getMessage());

        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "steps: 10\ndata: {inputs: [a]}\noptim: {scheduler: linear}\n");
        e = assertThrows(IOException.class, () -> TrainConfig.load(bad));
        assertTrue(e.getMessage().contains("cosine"), e.getMessage());

        Path warm = dir.resolve("warm.yaml");
        Files.writeString(warm, "steps: 10\ndata: {inputs: [a]}\noptim: {warmup: 10}\n");
        e = assertThrows(IOException.class, () -> TrainConfig.load(warm));
        assertTrue(e.getMessage().contains("warmup"), e.getMessage());
    }
}
