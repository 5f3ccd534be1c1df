package dev.blt.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --weights DIR: upstream's and the HF hub's folder layouts, built here from the fixture files. */
class WeightsLocatorTest {
    @TempDir
    Path dir;

    private final ModelWeights reference = Fixtures.weights("base");

    /** facebook/blt's entropy_model/: params.json and consolidated/consolidated.pth (or consolidated.pth). */
    @Test
    void upstreamFolder() throws IOException {
        Path nested = Files.createDirectories(dir.resolve("entropy_model/consolidated"));
        Files.copy(Fixtures.file("entropy_base.consolidated.pth"), nested.resolve("consolidated.pth"));
        Path folder = nested.getParent();
        Files.copy(Fixtures.file("entropy_base.params.json"), folder.resolve("params.json"));
        WeightsLocator.Location where = WeightsLocator.locate(folder, null);
        assertEquals(nested.resolve("consolidated.pth"), where.weights());
        assertEquals(folder.resolve("params.json"), where.config());
        assertSameWeights(ModelWeights.open(folder, null, w -> { }));

        Path flat = Files.createDirectories(dir.resolve("flat"));
        Files.copy(Fixtures.file("entropy_base.consolidated.bf16.pth"), flat.resolve("consolidated.pth"));
        Files.copy(Fixtures.file("entropy_base.params.json"), flat.resolve("params.json"));
        assertEquals(flat.resolve("consolidated.pth"), WeightsLocator.locate(flat, null).weights());
    }

    /** facebook/blt-entropy on the hub: config.json = {"args": LMTransformerArgs} beside model.safetensors. */
    @Test
    void huggingFaceFolder() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("blt-entropy"));
        Files.copy(Fixtures.file("entropy_base.safetensors"), folder.resolve("model.safetensors"));
        ObjectMapper json = new ObjectMapper();
        ObjectNode config = json.createObjectNode();
        config.set("args", Fixtures.json("entropy_base.json").get("lm_transformer_args"));
        json.writeValue(folder.resolve("config.json").toFile(), config);
        assertSameWeights(ModelWeights.open(folder, null, w -> { }));

        // an explicit config wins over the folder's
        Path other = dir.resolve("gqa.json");
        Files.copy(Fixtures.file("entropy_gqa.json"), other);
        assertEquals(other, WeightsLocator.locate(folder, other).config());
    }

    @Test
    void foldersWithoutWeightsOrConfigSayWhatIsMissing() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        IOException e = assertThrows(IOException.class, () -> ModelWeights.open(empty, null, w -> { }));
        assertTrue(e.getMessage().startsWith(empty + ": a folder without model weights"), e.getMessage());
        assertTrue(e.getMessage().contains("consolidated.pth") && e.getMessage().contains("model.safetensors"),
                e.getMessage());

        Files.copy(Fixtures.file("entropy_base.consolidated.pth"), empty.resolve("consolidated.pth"));
        e = assertThrows(IOException.class, () -> ModelWeights.open(empty, null, w -> { }));
        assertTrue(e.getMessage().contains("consolidated.pth: the weights carry no model config"), e.getMessage());

        Path missing = dir.resolve("nope");
        e = assertThrows(IOException.class, () -> ModelWeights.open(missing, null, w -> { }));
        assertEquals(missing + ": weights file not found", e.getMessage());
    }

    private void assertSameWeights(ModelWeights loaded) {
        assertEquals(reference.config(), loaded.config());
        for (String name : WeightNames.expected(reference.config()).keySet()) {
            assertArrayEquals(reference.get(name), loaded.get(name), name);
        }
    }
}
