package dev.blt.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blt.data.tensors.HalfFloats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --weights DIR in transformers' BLT layout: folders written by transformers itself (see the resources' README). */
class TransformersBltTest {
    static final Path RESOURCES = Path.of("src/test/resources/transformers-blt");

    @TempDir
    Path dir;

    private final ModelWeights fixture = Fixtures.weights("gqa");

    @Test
    void aPatcherSavedOnItsOwnGivesTheFixtureExactly() throws IOException {
        Path folder = RESOURCES.resolve("patcher");
        WeightsLocator.Location where = WeightsLocator.locate(folder, null);
        assertEquals(WeightsLocator.Layout.TRANSFORMERS_PATCHER, where.layout());
        assertEquals(folder.resolve("model.safetensors"), where.weights());
        List<String> warnings = new ArrayList<>();
        ModelWeights loaded = ModelWeights.open(folder, null, warnings::add);
        assertSameSizes(fixture.config(), loaded.config());
        for (String name : WeightNames.expected(fixture.config()).keySet()) {
            assertArrayEquals(fixture.get(name), loaded.get(name), name);
        }
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("states no attn_bias_type; using "
                + "attn_bias_type=local_block_causal, sliding_window=512"), warnings.get(0));
    }

    @Test
    void aWholeModelInShardsYieldsItsPatcher() throws IOException {
        Path folder = RESOURCES.resolve("causal-lm");
        WeightsLocator.Location where = WeightsLocator.locate(folder, null);
        assertEquals(WeightsLocator.Layout.TRANSFORMERS_MODEL, where.layout());
        assertEquals(folder.resolve("model.safetensors.index.json"), where.weights());
        assertEquals(4, where.files().size());
        StringBuilder warned = new StringBuilder();
        ModelWeights loaded = ModelWeights.open(folder, null, warned::append);
        assertSameSizes(fixture.config(), loaded.config());
        for (String name : WeightNames.expected(fixture.config()).keySet()) {
            float[] want = fixture.get(name);
            float[] got = loaded.get(name);
            for (int i = 0; i < want.length; i++) {
                assertEquals(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(want[i])), got[i], name + "[" + i + "]");
            }
        }
        assertTrue(warned.toString().contains("patcher_config states no attn_bias_type"), warned.toString());
        assertTrue(ModelWeights.openTensors(where.weights()).format().contains("under 'model.patcher.'"));
    }

    /** transformers' conversion script copies upstream's attn_bias_type into patcher_config: it is followed. */
    @Test
    void aStatedMaskIsFollowed() throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode config = (ObjectNode) json.readTree(RESOURCES.resolve("patcher/config.json").toFile());
        config.put("attn_bias_type", "causal");
        config.putNull("sliding_window");
        config.remove("rms_norm_eps");
        config.put("norm_eps", 1e-6);
        Path file = dir.resolve("config.json");
        json.writeValue(file.toFile(), config);
        StringBuilder warned = new StringBuilder();
        ModelConfig c = ModelConfig.load(file, warned::append);
        assertEquals(AttentionBias.CAUSAL, c.attnBiasType());
        assertNull(c.effectiveWindow());
        assertEquals(1e-6, c.normEps());
        assertTrue(warned.toString().contains("using attn_bias_type=causal, sliding_window=null as written"),
                warned.toString());
    }

    @Test
    void ffnWidthsMapBackToUpstreamArguments() {
        for (int[] dimAndWidth : new int[][]{{64, 192}, {768, 2048}, {64, 200}, {64, 100}, {1024, 2816}}) {
            ObjectNode p = new ObjectMapper().createObjectNode();
            p.put("model_type", "blt_patcher").put("hidden_size", dimAndWidth[0]).put("num_attention_heads", 4)
                    .put("intermediate_size", dimAndWidth[1]).put("attn_bias_type", "causal");
            ModelConfig c = TransformersBlt.config(p, "test", w -> { });
            assertEquals(dimAndWidth[1], c.ffnHidden(), p.toString());
        }
    }

    @Test
    void aWholeModelWithoutPatcherConfigIsRefused() {
        ObjectNode root = new ObjectMapper().createObjectNode().put("model_type", "blt");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TransformersBlt.config(root, "x/config.json", w -> { }));
        assertTrue(e.getMessage().startsWith("x/config.json: a transformers BLT config without a patcher_config"));
    }

    @Test
    void namesMapToUpstreams() {
        assertEquals(WeightNames.wq(3), TransformersBlt.upstreamName("layers.3.self_attn.q_proj.weight"));
        assertEquals(WeightNames.w1(0), TransformersBlt.upstreamName("layers.0.mlp.gate_proj.weight"));
        assertEquals(WeightNames.w2(0), TransformersBlt.upstreamName("layers.0.mlp.down_proj.weight"));
        assertEquals(WeightNames.w3(0), TransformersBlt.upstreamName("layers.0.mlp.up_proj.weight"));
        assertEquals(WeightNames.ffnNorm(1), TransformersBlt.upstreamName("layers.1.post_attention_layernorm.weight"));
        assertEquals(WeightNames.OUTPUT, TransformersBlt.upstreamName("lm_head.weight"));
        assertNull(TransformersBlt.upstreamName("layers.0.cross_attn.q_proj.weight"));
    }

    /** Sizes and mask as transformers' config gives them; multiple_of is not stored there, only the width. */
    static void assertSameSizes(ModelConfig want, ModelConfig got) {
        assertEquals(want.dim(), got.dim());
        assertEquals(want.nLayers(), got.nLayers());
        assertEquals(want.nHeads(), got.nHeads());
        assertEquals(want.kvHeads(), got.kvHeads());
        assertEquals(want.headDim(), got.headDim());
        assertEquals(want.ffnHidden(), got.ffnHidden());
        assertEquals(want.normEps(), got.normEps());
        assertEquals(want.ropeTheta(), got.ropeTheta());
        assertEquals(want.maxSeqlen(), got.maxSeqlen());
        assertEquals(want.vocabSize(), got.vocabSize());
        assertEquals(AttentionBias.LOCAL_BLOCK_CAUSAL, got.attnBiasType());
        assertEquals(512, got.slidingWindow());
    }
}
