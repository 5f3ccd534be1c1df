package dev.blt.cli;

import dev.blt.data.tensors.SafeTensorsFile;
import dev.blt.model.Fixtures;
import dev.blt.model.ModelWeights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ./blt train, finetune and eval end to end through Main. */
class TrainEvalCommandsTest {

    /** Runs Main and returns {exit code, stdout, stderr}. */
    private static String[] blt(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args);
            return new String[]{Integer.toString(code), o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private static String lastLine(String s) {
        String[] lines = s.strip().split("\n");
        return lines[lines.length - 1];
    }

    /** Bits per byte of "Hello, world!" from upstream's own logits (fixture 'short' = BOS + 13 bytes + EOS). */
    @Test
    void evalMatchesUpstreamLogits(@TempDir Path dir) throws IOException {
        double nats = 0;
        try (SafeTensorsFile st = Fixtures.tensors("entropy_base.safetensors")) {
            long[] tokens = st.readLongs("fixture.short.tokens");
            float[] logits = st.readFloats("fixture.short.logits");
            for (int i = 1; i < tokens.length; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int v = 0; v < 260; v++) {
                    max = Math.max(max, logits[(i - 1) * 260 + v]);
                }
                double sum = 0;
                for (int v = 0; v < 260; v++) {
                    sum += Math.exp(logits[(i - 1) * 260 + v] - max);
                }
                nats += max + Math.log(sum) - logits[(i - 1) * 260 + (int) tokens[i]];
            }
        }
        Path doc = dir.resolve("short.txt");
        Files.writeString(doc, "Hello, world!");
        String[] r = blt("eval", "--weights", Fixtures.file("entropy_base.safetensors").toString(),
                "--model-config", Fixtures.file("entropy_base.json").toString(), "--input", doc.toString());
        assertEquals("0", r[0], r[2]);
        String last = lastLine(r[1]);
        assertTrue(last.startsWith("bits_per_byte="), last);
        assertEquals(nats / Math.log(2) / 13, Double.parseDouble(last.substring("bits_per_byte=".length())), 1e-5);
    }

    @Test
    void trainThenFinetuneThenEval(@TempDir Path dir) throws IOException {
        Path docs = dir.resolve("docs.jsonl");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            sb.append("{\"text\": \"document ").append(i).append(": the quick brown fox jumps over the lazy dog\"}\n");
        }
        Files.writeString(docs, sb.toString());
        Path cfg = dir.resolve("tiny.yaml");
        Files.writeString(cfg, String.join("\n",
                "model: {dim: 16, n_layers: 1, n_heads: 2, multiple_of: 16, max_seqlen: 64, vocab_size: 260,",
                "        sliding_window: 32, attn_bias_type: local_block_causal}",
                "steps: 4",
                "output: " + dir.resolve("out/model.safetensors"),
                "log_every: 2",
                "data: {inputs: [" + docs + "], holdout_fraction: 0.2, seq_len: 32, batch_size: 2}",
                "optim: {lr: 1.0e-2, warmup: 1}",
                "eval: {every: 0, max_bytes: 0}",
                "checkpoint: {dir: " + dir.resolve("ckpt") + ", every: 2}", ""));
        String[] train = blt("train", "--config", cfg.toString());
        assertEquals("0", train[0], train[2]);
        assertTrue(train[2].contains("step 4/4  loss "), train[2]);
        assertTrue(train[1].contains("heldout_bits_per_byte="), train[1]);
        Path trained = dir.resolve("out/model.safetensors");
        assertTrue(ModelWeights.storedConfig(trained, w -> { }) != null);

        String[] eval = blt("eval", "--weights", trained.toString(), "--input", docs.toString());
        assertEquals("0", eval[0], eval[2]);
        assertTrue(eval[1].contains("documents=30\n"), eval[1]);

        Files.writeString(cfg, Files.readString(cfg).replace("out/model", "tuned/model").replace("ckpt", "ckpt2"));
        String[] tune = blt("finetune", "--weights", trained.toString(), "--config", cfg.toString());
        assertEquals("0", tune[0], tune[2]);
        assertTrue(tune[2].contains("'model' section is ignored"), tune[2]);
        assertTrue(Files.isRegularFile(dir.resolve("tuned/model.safetensors")));
        assertTrue(Files.isRegularFile(dir.resolve("ckpt2/step_00000004/optimizer.safetensors")));
    }

    /**
     * A fresh run into a checkpoint directory holding checkpoints is refused naming --resume and --overwrite;
     * --overwrite removes them, so a later --resume cannot take the earlier run's newer step.
     */
    @Test
    void aRerunBesideCheckpointsIsRefusedAndOverwriteReplacesThem(@TempDir Path dir) throws IOException {
        Path docs = dir.resolve("docs.jsonl");
        Files.writeString(docs, "{\"text\": \"the quick brown fox jumps over the lazy dog\"}\n".repeat(8));
        Path ckpt = dir.resolve("ckpt");
        Path cfg = dir.resolve("tiny.yaml");
        String yaml = String.join("\n",
                "model: {dim: 16, n_layers: 1, n_heads: 2, multiple_of: 16, max_seqlen: 64, vocab_size: 260,",
                "        sliding_window: 32, attn_bias_type: local_block_causal}",
                "steps: 4",
                "output: " + dir.resolve("out/model.safetensors"),
                "data: {inputs: [" + docs + "], holdout_fraction: 0.5, seq_len: 32, batch_size: 2}",
                "optim: {warmup: 1}",
                "eval: {every: 0}",
                "checkpoint: {dir: " + ckpt + ", every: 2}", "");
        Files.writeString(cfg, yaml);
        CliRun first = CliRun.of("train", "--config", cfg.toString());
        assertEquals(0, first.exitCode(), first.err());
        CliRun again = CliRun.of("train", "--config", cfg.toString());
        CliRun.assertOneLineError(again, ckpt.toString(), "step_00000004", "--resume " + ckpt, "--overwrite",
                "checkpoint.dir in " + cfg);
        CliRun both = CliRun.of("train", "--config", cfg.toString(), "--resume", ckpt.toString(), "--overwrite");
        CliRun.assertOneLineError(both, "--resume and --overwrite");

        Files.writeString(cfg, yaml.replace("steps: 4", "steps: 2"));
        CliRun replaced = CliRun.of("train", "--config", cfg.toString(), "--overwrite");
        assertEquals(0, replaced.exitCode(), replaced.err());
        assertTrue(Files.isRegularFile(ckpt.resolve("step_00000002/optimizer.safetensors")));
        assertFalse(Files.exists(ckpt.resolve("step_00000004")), "the earlier run's newer step is gone");

        Path fresh = dir.resolve("fresh");
        Files.writeString(cfg, yaml.replace(docs.toString(), dir.resolve("nope.jsonl").toString())
                .replace(ckpt.toString(), fresh.resolve("ckpt").toString())
                .replace(dir.resolve("out").toString(), fresh.resolve("out").toString()));
        CliRun missing = CliRun.of("finetune", "--config", cfg.toString(), "--weights",
                dir.resolve("out/model.safetensors").toString());
        CliRun.assertOneLineError(missing, "nope.jsonl", "no such file");
        assertFalse(Files.exists(fresh), "nothing created for a run that cannot start");
    }

    @Test
    void badInputsGiveOneLineErrors(@TempDir Path dir) throws IOException {
        Path cfg = dir.resolve("bad.yaml");
        Files.writeString(cfg, "steps: 10\nlearning_rate: 0.1\ndata: {inputs: [x]}\n");
        String[] r = blt("train", "--config", cfg.toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains(cfg + ": ") && r[2].contains("learning_rate"), r[2]);

        Path bad = dir.resolve("bad.jsonl");
        Files.writeString(bad, "{\"text\": \"ok\"}\n{\"title\": \"no text\"}\n");
        String[] e = blt("eval", "--weights", Fixtures.file("entropy_base.safetensors").toString(),
                "--model-config", Fixtures.file("entropy_base.json").toString(), "--input", bad.toString());
        assertEquals("2", e[0]);
        assertTrue(e[2].contains(bad + ":2: no string field 'text'"), e[2]);

        String[] w = blt("eval", "--weights", Fixtures.file("entropy_base.safetensors").toString(), "--input", bad.toString());
        assertEquals("2", w[0]);
        assertTrue(w[2].contains("pass --model-config"), w[2]);
    }
}
