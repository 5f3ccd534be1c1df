package dev.blt.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelConfigTest {
    @TempDir
    Path dir;

    @Test
    void releasedPresetHasUpstreamSizes() {
        ModelConfig c = ModelConfig.released();
        assertEquals(64, c.headDim());
        assertEquals(12, c.kvHeads());
        assertEquals(2048, c.ffnHidden()); // int(2*3072/3) = 2048, already a multiple of 256
        assertEquals(99_512_064L, c.parameterCount()); // upstream spec section 2
        assertEquals(512, c.effectiveWindow());
    }

    @Test
    void ffnHiddenKeepsUpstreamTruncations() {
        ModelConfig fixture = Fixtures.config("base");
        assertEquals(192, fixture.ffnHidden()); // int(170.67) = 170 rounded up to a multiple of 32
        ModelConfig odd = ModelConfig.parse("{\"dim\":96,\"n_layers\":1,\"n_heads\":4,\"vocab_size\":260,"
                + "\"ffn_dim_multiplier\":1.3,\"multiple_of\":16}", "t", w -> { });
        // int(2*384/3) = 256; int(1.3*256) = 332; rounded up to 336
        assertEquals(336, odd.ffnHidden());
    }

    @Test
    void readsAllUpstreamFileShapes() throws IOException {
        ModelConfig fromFixture = ModelConfig.load(Fixtures.file("entropy_swa.json"), w -> { });
        assertEquals(AttentionBias.LOCAL_BLOCK_CAUSAL, fromFixture.attnBiasType());
        assertEquals(16, fromFixture.slidingWindow());
        ModelConfig fromParams = ModelConfig.load(Fixtures.file("entropy_base.params.json"), w -> { });
        assertEquals(Fixtures.config("base"), fromParams);
        assertNull(fromParams.effectiveWindow());
        ModelConfig gqa = Fixtures.config("gqa");
        assertEquals(2, gqa.kvHeads());
        // toJson round-trips
        assertEquals(gqa, ModelConfig.parse(gqa.toJson(), "round trip", w -> { }));
    }

    @Test
    void unknownFieldsWarnMissingFieldsFail() throws IOException {
        List<String> warnings = new ArrayList<>();
        Path p = dir.resolve("c.json");
        Files.writeString(p, "{\"dim\":64,\"n_layers\":2,\"n_heads\":4,\"vocab_size\":260,\"flux\":3,\"seed\":1}");
        ModelConfig c = ModelConfig.load(p, warnings::add);
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("'flux'") && warnings.get(0).contains(p.toString()), warnings.get(0));
        assertEquals(256, c.multipleOf());

        Files.writeString(p, "{\"dim\":64,\"n_layers\":2,\"vocab_size\":260}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelConfig.load(p, w -> { }));
        assertTrue(e.getMessage().contains("'n_heads'") && e.getMessage().contains(p.toString()), e.getMessage());

        Files.writeString(p, "{\"dim\":64,\"n_layers\":2,\"n_heads\":3,\"vocab_size\":260}");
        e = assertThrows(IllegalArgumentException.class, () -> ModelConfig.load(p, w -> { }));
        assertTrue(e.getMessage().contains("not divisible"), e.getMessage());

        Files.writeString(p, "{\"dim\":64,\"n_layers\":2,\"n_heads\":4,\"vocab_size\":260,\"attn_bias_type\":\"alibi\"}");
        e = assertThrows(IllegalArgumentException.class, () -> ModelConfig.load(p, w -> { }));
        assertTrue(e.getMessage().contains("alibi"), e.getMessage());

        Files.writeString(p, "{not json");
        IOException io = assertThrows(IOException.class, () -> ModelConfig.load(p, w -> { }));
        assertTrue(io.getMessage().contains("not valid JSON"), io.getMessage());
    }
}
