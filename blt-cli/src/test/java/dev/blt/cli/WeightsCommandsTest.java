package dev.blt.cli;

import dev.blt.data.tensors.DType;
import dev.blt.data.tensors.HalfFloats;
import dev.blt.data.tensors.SafeTensorsFile;
import dev.blt.model.BurnRecordFiles;
import dev.blt.model.Fixtures;
import dev.blt.model.ModelWeights;
import dev.blt.model.PoisonedWeights;
import dev.blt.model.WeightNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.blt.cli.CliRun.assertOneLineError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ./blt convert}, {@code ./blt weights inspect} and {@code --weights DIR}, against the upstream fixtures. */
class WeightsCommandsTest {
    private static final String TOKENS = "1,76,105,112,112,115,48,36,123,115,118,112,104,37,2";

    @TempDir
    Path dir;

    private final String pth = Fixtures.file("entropy_base.consolidated.pth").toString();
    private final String params = Fixtures.file("entropy_base.params.json").toString();

    /** The round trip: .pth -> convert -> safetensors (config in metadata) -> entropy = upstream outputs. */
    @Test
    void pthConvertedToSafetensorsScoresLikeUpstream() throws IOException {
        Path converted = dir.resolve("converted.safetensors");
        CliRun c = CliRun.of("convert", "--in", pth, "--model-config", params, "--out", converted.toString());
        assertEquals(0, c.exitCode(), c.err());
        assertTrue(c.out().contains("21 tensors"), c.out());
        try (SafeTensorsFile got = SafeTensorsFile.open(converted);
             SafeTensorsFile ref = SafeTensorsFile.open(Fixtures.file("entropy_base.safetensors"))) {
            assertTrue(got.metadata().containsKey(ModelWeights.CONFIG_METADATA_KEY));
            for (String name : got.tensors().keySet()) {
                assertArrayEquals(ref.readFloats(name), got.readFloats(name), name);
            }
        }
        assertScoresLikeUpstream("entropy", "--weights", converted.toString());
    }

    /** --weights DIR in upstream's layout gives the outputs of the safetensors fixture. */
    @Test
    void entropyWithAnUpstreamFolder() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("entropy_model/consolidated")).getParent();
        Files.copy(Path.of(pth), folder.resolve("consolidated/consolidated.pth"));
        Files.copy(Path.of(params), folder.resolve("params.json"));
        assertScoresLikeUpstream("entropy", "--weights", folder.toString());
    }

    @Test
    void burnRecordConvertsToF16RoundedWeights() throws IOException {
        ModelWeights reference = Fixtures.weights("base");
        Path mpk = dir.resolve("model.mpk.gz");
        BurnRecordFiles.write(mpk, reference, BurnRecordFiles.Layout.TENSOR_DATA, true, true);
        Path out = dir.resolve("from-burn.safetensors");
        CliRun c = CliRun.of("convert", "--in", mpk.toString(), "--model-config", params, "--out", out.toString(),
                "--dtype", "f16");
        assertEquals(0, c.exitCode(), c.err());
        try (SafeTensorsFile got = SafeTensorsFile.open(out)) {
            for (String name : WeightNames.expected(reference.config()).keySet()) {
                assertEquals(DType.F16, got.info(name).dtype(), name);
                float[] f32 = reference.get(name);
                float[] expected = new float[f32.length];
                for (int i = 0; i < f32.length; i++) {
                    expected[i] = HalfFloats.f16ToFloat(HalfFloats.floatToF16(f32[i]));
                }
                assertArrayEquals(expected, got.readFloats(name), name);
            }
        }
        CliRun inspect = CliRun.of("weights", "inspect", mpk.toString(), "--model-config", params);
        assertEquals(0, inspect.exitCode(), inspect.err());
        for (String line : new String[]{"format: Burn record (NamedMpkGzFileRecorder", "dtypes {F16=21}",
                "parameters: 140096", "metadata burn.settings: HalfPrecisionSettings", "fits config: yes",
                "  layers.1.feed_forward.w2.weight F16 [64, 192]"}) {
            assertTrue(inspect.out().contains(line), "'" + line + "' not in:\n" + inspect.out());
        }
    }

    @Test
    void inspectReportsAMismatchWithTheConfig() {
        CliRun r = CliRun.of("weights", "inspect", pth, "--model-config",
                Fixtures.file("entropy_gqa.json").toString());
        assertEquals(Main.EXIT_USAGE, r.exitCode(), r.err());
        assertTrue(r.out().contains("fits config: no: " + pth + ": tensor 'layers.0.attention.wk.weight': has shape"),
                r.out());
        CliRun none = CliRun.of("weights", "inspect", pth);
        assertTrue(none.out().contains("config: none (pass --model-config)"), none.out());
    }

    /** NaN weights fit the config by their header alone: inspect reads the values, says so and fails. */
    @Test
    void inspectReportsNonFiniteWeights() throws IOException {
        Path nan = PoisonedWeights.write(dir.resolve("nan.safetensors"), WeightNames.wq(0), new int[]{5}, new int[]{});
        CliRun r = CliRun.of("weights", "inspect", nan.toString());
        assertEquals(Main.EXIT_USAGE, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("fits config: yes"), r.out());
        assertTrue(r.out().contains("finite: no: " + nan + ": tensor '" + WeightNames.wq(0)
                + "': 1 of 4096 values are not finite (1 NaN, 0 Inf; the first at flat index 5)"), r.out());
        CliRun good = CliRun.of("weights", "inspect", pth, "--model-config", params);
        assertEquals(0, good.exitCode(), good.err());
        assertTrue(good.out().contains("finite: yes"), good.out());
        assertOneLineError(CliRun.of("entropy", "--weights", nan.toString(), "--tokens", TOKENS, "--out",
                        dir.resolve("e.safetensors").toString()),
                nan.toString(), WeightNames.wq(0), "not finite");
    }

    /** transformers' BLT folders (written by transformers: blt-samediff's test resources) are named and fit. */
    @Test
    void inspectNamesTransformersLayouts() {
        Path resources = Path.of("../blt-samediff/src/test/resources/transformers-blt");
        CliRun whole = CliRun.of("weights", "inspect", resources.resolve("causal-lm").toString());
        assertEquals(0, whole.exitCode(), whole.out() + whole.err());
        for (String line : new String[]{"layout: transformers' BLT model folder", "safetensors in 4 shards",
                "the patcher's 21 tensors under 'model.patcher.'", "fits config: yes", "finite: yes",
                "\"n_kv_heads\":2", "\"sliding_window\":512", "  layers.1.feed_forward.w2.weight BF16 [64, 192]"}) {
            assertTrue(whole.out().contains(line), "'" + line + "' not in:\n" + whole.out());
        }
        assertTrue(whole.err().contains("patcher_config states no attn_bias_type"), whole.err());
        CliRun patcher = CliRun.of("weights", "inspect", resources.resolve("patcher").toString());
        assertEquals(0, patcher.exitCode(), patcher.out() + patcher.err());
        assertTrue(patcher.out().contains("layout: transformers' BltPatcher folder"), patcher.out());
        assertTrue(patcher.out().contains("transformers' BltPatcher names"), patcher.out());
    }

    @Test
    void badInputGivesOneLine() throws IOException {
        Path out = dir.resolve("x.safetensors");
        assertOneLineError(CliRun.of("convert", "--in", pth, "--model-config", params, "--out", out.toString(),
                "--dtype", "q8"), "--dtype", "'q8'");
        assertOneLineError(CliRun.of("convert", "--in", dir.resolve("nope.pth").toString(), "--out", out.toString()),
                "nope.pth", "not found");
        Path garbage = Files.write(dir.resolve("garbage.mpk"), new byte[]{(byte) 0x82, (byte) 0xa4, 'i', 't', 'e', 'm'});
        assertOneLineError(CliRun.of("convert", "--in", garbage.toString(), "--model-config", params, "--out",
                out.toString()), "garbage.mpk", "truncated");
        assertOneLineError(CliRun.of("weights", "list", pth), "weights inspect PATH");
        assertFalse(Files.exists(out), "no output written on failure");
    }

    private static void assertScoresLikeUpstream(String... command) throws IOException {
        Path out = Files.createTempFile("entropy", ".safetensors");
        try {
            String[] args = new String[command.length + 6];
            System.arraycopy(command, 0, args, 0, command.length);
            System.arraycopy(new String[]{"--tokens", TOKENS, "--threshold", "1.35", "--out", out.toString()}, 0,
                    args, command.length, 6);
            CliRun r = CliRun.of(args);
            assertEquals(0, r.exitCode(), r.err());
            try (SafeTensorsFile got = SafeTensorsFile.open(out);
                 SafeTensorsFile ref = SafeTensorsFile.open(Fixtures.file("entropy_base.safetensors"))) {
                assertArrayEquals(ref.readLongs("fixture.short.tokens"), got.readLongs("tokens"));
                assertTrue(Fixtures.maxAbsDiff(ref.readFloats("fixture.short.entropies"), got.readFloats("entropies")) < 2e-5);
                assertTrue(Fixtures.maxAbsDiff(ref.readFloats("fixture.short.logits"), got.readFloats("logits")) < 1e-4);
                assertTrue(Fixtures.maxAbsDiff(ref.readFloats("fixture.short.prenorm"), got.readFloats("prenorm")) < 1e-4);
                assertArrayEquals(ref.readLongs("fixture.short.patch_starts.t1.35"), got.readLongs("patch_starts"));
                assertArrayEquals(ref.readLongs("fixture.short.patch_lengths.t1.35"), got.readLongs("patch_lengths"));
            }
        } finally {
            Files.deleteIfExists(out);
        }
    }

}
