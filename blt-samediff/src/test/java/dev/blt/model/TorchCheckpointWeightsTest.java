package dev.blt.model;

import dev.blt.data.tensors.HalfFloats;
import dev.blt.data.tensors.SafeTensorsFile;
import dev.blt.data.tensors.TensorFileException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Upstream's checkpoint layout: consolidated.pth (torch.save) with params.json beside it. */
class TorchCheckpointWeightsTest {
    private static final Path PTH = Fixtures.file("entropy_base.consolidated.pth");
    private static final Path BF16_PTH = Fixtures.file("entropy_base.consolidated.bf16.pth");

    private static ModelConfig paramsJson() throws IOException {
        return ModelConfig.load(Fixtures.file("entropy_base.params.json"), w -> { });
    }

    @Test
    void loadsTheSameWeightsAsTheSafetensorsFile() throws IOException {
        ModelConfig config = paramsJson();
        assertEquals(Fixtures.config("base"), config);
        assertNull(ModelWeights.storedConfig(PTH, w -> { }), "a .pth carries no config; params.json does");
        StringBuilder warned = new StringBuilder();
        ModelWeights pth = ModelWeights.load(PTH, config, warned::append);
        assertEquals("", warned.toString(), "the state dict holds only model tensors");
        ModelWeights bf16 = ModelWeights.load(BF16_PTH, config, w -> { });
        ModelWeights reference = Fixtures.weights("base");
        for (String name : WeightNames.expected(config).keySet()) {
            float[] f32 = reference.get(name);
            assertArrayEquals(f32, pth.get(name), name);
            float[] rounded = new float[f32.length];
            for (int i = 0; i < f32.length; i++) {
                rounded[i] = HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(f32[i]));
            }
            assertArrayEquals(rounded, bf16.get(name), name);
        }
    }

    @Test
    void modelFromThePthReproducesUpstreamEntropies() throws IOException {
        try (LMTransformer model = LMTransformer.build(ModelWeights.load(PTH, paramsJson(), w -> { }),
                Precision.FLOAT32);
             SequenceScorer scorer = new SequenceScorer(model, 4096)) {
            int checked = 0;
            try (SafeTensorsFile st = Fixtures.tensors("entropy_base.safetensors")) {
                for (String seq : Fixtures.sequences("base")) {
                    String p = "fixture." + seq + ".";
                    Scores s = scorer.score(Fixtures.ints(st.readLongs(p + "tokens")), EnumSet.of(Output.ENTROPIES, Output.LOGITS));
                    // the tolerances FixtureParityTest holds the safetensors-loaded float32 model to
                    FixtureParityTest.assertClose(st.readFloats(p + "entropies"), s.entropies(), 2e-5f, seq + " entropies");
                    FixtureParityTest.assertClose(st.readFloats(p + "logits"), s.logits(), 1e-4f, seq + " logits");
                    checked++;
                }
            }
            assertTrue(checked >= 3, "sequences checked: " + checked);
        }
    }

    @Test
    void wrongConfigNamesTheFileAndTensor() throws IOException {
        ModelConfig c = paramsJson();
        ModelConfig threeLayers = new ModelConfig(c.dim(), 3, c.nHeads(), c.nKvHeads(), c.explicitHeadDim(),
                c.ffnDimMultiplier(), c.multipleOf(), c.normEps(), c.ropeTheta(), c.maxSeqlen(), c.vocabSize(),
                c.slidingWindow(), c.attnBiasType(), c.eosId());
        TensorFileException missing = assertThrows(TensorFileException.class, () -> ModelWeights.load(PTH, threeLayers, w -> { }));
        assertTrue(missing.getMessage().startsWith(PTH + ": tensor 'layers.2."), missing.getMessage());
        assertTrue(missing.getMessage().contains("missing (expected shape"), missing.getMessage());
        ModelConfig wider = new ModelConfig(128, c.nLayers(), c.nHeads(), c.nKvHeads(), c.explicitHeadDim(),
                c.ffnDimMultiplier(), c.multipleOf(), c.normEps(), c.ropeTheta(), c.maxSeqlen(), c.vocabSize(),
                c.slidingWindow(), c.attnBiasType(), c.eosId());
        TensorFileException shape = assertThrows(TensorFileException.class, () -> ModelWeights.load(BF16_PTH, wider, w -> { }));
        assertTrue(shape.getMessage().startsWith(BF16_PTH + ": tensor '"), shape.getMessage());
        assertTrue(shape.getMessage().contains("has shape [") && shape.getMessage().contains("but the config needs"),
                shape.getMessage());
    }
}
