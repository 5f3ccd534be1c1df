package dev.blt.cli;

import dev.blt.data.tensors.SafeTensorsFile;
import dev.blt.data.tokenizer.ByteTokenizer;
import dev.blt.model.Fixtures;
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

class EntropyCommandTest {
    @TempDir
    Path dir;

    private final String weights = Fixtures.file("entropy_swa.safetensors").toString();
    private final String config = Fixtures.file("entropy_swa.json").toString();

    @Test
    void scoresTextLikeUpstream() throws IOException {
        Path out = dir.resolve("o.safetensors");
        CliRun r = CliRun.of("entropy", "--weights", weights, "--model-config", config, "--text",
                "Grüße aus Köln — 東京 🚀 naïve café", "--no-eos", "--threshold", "1.35", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        try (SafeTensorsFile got = SafeTensorsFile.open(out);
             SafeTensorsFile ref = SafeTensorsFile.open(Fixtures.file("entropy_swa.safetensors"))) {
            assertArrayEquals(ref.readLongs("fixture.utf8.tokens"), got.readLongs("tokens"));
            float d = Fixtures.maxAbsDiff(ref.readFloats("fixture.utf8.entropies"), got.readFloats("entropies"));
            assertTrue(d < 2e-5, "entropy diff " + d);
            assertArrayEquals(ref.readLongs("fixture.utf8.patch_starts.t1.35"), got.readLongs("patch_starts"));
            assertArrayEquals(ref.readLongs("fixture.utf8.patch_lengths.t1.35"), got.readLongs("patch_lengths"));
            assertArrayEquals(new long[]{47, 260}, got.info("logits").shape());
            assertArrayEquals(new long[]{47, 64}, got.info("prenorm").shape());
            assertTrue(r.err().contains("patches: <bos>"), r.err());
        }
    }

    @Test
    void patchLineShowsEachPatchAsText() {
        int[] ids = ByteTokenizer.encode("ab c\n\u00e9", true, true); // <bos> a b ' ' c \n 0xc3 0xa9 <eos>
        assertEquals("<bos>|ab| c\\n|\u00e9<eos>", EntropyCommand.patchLine(ids, new long[]{1, 2, 3, 3}));
        // a boundary inside the two bytes of e-acute leaves a broken character on each side
        assertEquals("<bos>ab c\\n\ufffd|\ufffd<eos>", EntropyCommand.patchLine(ids, new long[]{7, 2}));
    }

    @Test
    void tokensOptionAndPatchOptions() throws IOException {
        Path out = dir.resolve("t.safetensors");
        CliRun r = CliRun.of("entropy", "--weights", weights, "--model-config", config,
                "--tokens", "1,76,105,112,112,115,48,36,123,115,118,112,104,37,2", "--monotonicity", "--threshold", "1.0",
                "--include-next-token", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        try (SafeTensorsFile got = SafeTensorsFile.open(out);
             SafeTensorsFile ref = SafeTensorsFile.open(Fixtures.file("entropy_swa.safetensors"))) {
            assertArrayEquals(ref.readLongs("fixture.short.patch_starts.t1.0.mono.next"), got.readLongs("patch_starts"));
        }
    }

    /** Upstream's layout: consolidated.pth (torch.save) and params.json, as downloaded. */
    @Test
    void scoresWithATorchCheckpointAndParamsJson() throws IOException {
        String pth = Fixtures.file("entropy_base.consolidated.pth").toString();
        Path out = dir.resolve("pth.safetensors");
        CliRun r = CliRun.of("entropy", "--weights", pth, "--model-config",
                Fixtures.file("entropy_base.params.json").toString(),
                "--tokens", "1,76,105,112,112,115,48,36,123,115,118,112,104,37,2", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        try (SafeTensorsFile got = SafeTensorsFile.open(out);
             SafeTensorsFile ref = SafeTensorsFile.open(Fixtures.file("entropy_base.safetensors"))) {
            float d = Fixtures.maxAbsDiff(ref.readFloats("fixture.short.entropies"), got.readFloats("entropies"));
            assertTrue(d < 2e-5, "entropy diff " + d);
        }
        assertOneLineError(CliRun.of("entropy", "--weights", pth, "--text", "a", "--out", out.toString()),
                "consolidated.pth", "params.json");
    }

    @Test
    void badInputGivesOneLineAndNonZeroExit() {
        Path out = dir.resolve("x.safetensors");
        assertOneLineError(CliRun.of("entropy", "--weights", dir.resolve("nope.safetensors").toString(), "--text", "a",
                "--out", out.toString()), "nope.safetensors", "not found");
        assertOneLineError(CliRun.of("entropy", "--weights", weights, "--model-config", config, "--tokens", "1,999",
                "--out", out.toString()), "999");
        assertOneLineError(CliRun.of("entropy", "--weights", weights, "--model-config", config, "--tokens", "1,x",
                "--out", out.toString()), "'x'");
        assertOneLineError(CliRun.of("entropy", "--weights", weights, "--model-config", config, "--text", "a",
                "--tokens", "1", "--out", out.toString()), "exactly one");
        assertOneLineError(CliRun.of("entropy", "--weights", weights, "--text", "a", "--out", out.toString()),
                "--model-config");
        assertOneLineError(CliRun.of("entropy", "--weights", config, "--model-config", config, "--text", "a",
                "--out", out.toString()), "entropy_swa.json");
        CliRun missing = CliRun.of("entropy", "--text", "a");
        assertEquals(Main.EXIT_USAGE, missing.exitCode());
        assertTrue(missing.err().contains("--out"), missing.err());
        assertFalse(Files.exists(out), "no output written on failure");
    }

    @Test
    void helpDescribesEveryOption() {
        CliRun top = CliRun.of("--help");
        assertEquals(0, top.exitCode());
        assertTrue(top.out().contains("entropy") || top.err().contains("entropy"));
        CliRun sub = CliRun.of("entropy", "--help");
        assertEquals(0, sub.exitCode());
        String text = sub.out() + sub.err();
        for (String opt : new String[]{"--weights", "--model-config", "--text", "--tokens", "--no-bos", "--no-eos",
                "--threshold", "--target-patch-size", "--monotonicity", "--threshold-add", "--max-patch-length",
                "--include-next-token", "--out"}) {
            assertTrue(text.contains(opt), opt + " missing from help");
        }
    }
}
