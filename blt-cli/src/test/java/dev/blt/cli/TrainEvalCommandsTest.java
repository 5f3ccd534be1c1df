package dev.blt.cli;

import dev.blt.data.tensors.SafeTensorsFile;
import dev.blt.model.Fixtures;
import dev.blt.model.ModelWeights;
import dev.blt.train.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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

    /** docs.jsonl in {@code dir}: {@code n} documents "document i: text". */
    private static Path numberedDocs(Path dir, int n, String text) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append("{\"text\": \"document ").append(i).append(": ").append(text).append("\"}\n");
        }
        return Files.writeString(dir.resolve("docs.jsonl"), sb.toString());
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
        Path docs = numberedDocs(dir, 30, "the quick brown fox jumps over the lazy dog");
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

        // fine-tuning with a wider window: the model section may change what keeps the tensors' shapes
        String widened = Files.readString(cfg).replace("sliding_window: 32", "sliding_window: 48");
        Files.writeString(cfg, widened.replace("out/model", "tuned/model").replace("ckpt", "ckpt2"));
        String[] tune = blt("finetune", "--weights", trained.toString(), "--config", cfg.toString());
        assertEquals("0", tune[0], tune[2]);
        assertTrue(tune[2].contains("\"sliding_window\":48"), tune[2]);
        Path tuned = dir.resolve("tuned/model.safetensors");
        assertEquals(48, ModelWeights.storedConfig(tuned, w -> { }).slidingWindow());
        assertTrue(Files.isRegularFile(dir.resolve("ckpt2/step_00000004/optimizer.safetensors")));

        // the same run from the weights converted to that config first gives the same weights, bit for bit
        Path args = dir.resolve("wide.json");
        Files.writeString(args, ModelWeights.storedConfig(tuned, w -> { }).toJson());
        Path converted = dir.resolve("wide.safetensors");
        assertEquals("0", blt("convert", "--in", trained.toString(), "--model-config", args.toString(),
                "--out", converted.toString())[0]);
        Files.writeString(cfg, widened.replace("out/model", "again/model").replace("ckpt", "ckpt3"));
        assertEquals("0", blt("finetune", "--weights", converted.toString(), "--config", cfg.toString())[0]);
        ModelWeights a = ModelWeights.open(tuned, null, w -> { });
        ModelWeights b = ModelWeights.open(dir.resolve("again/model.safetensors"), null, w -> { });
        for (String name : a.asMap().keySet()) {
            assertArrayEquals(a.get(name), b.get(name), name);
        }

        // a change of shape is refused in one line that says what may change
        Files.writeString(cfg, widened.replace("dim: 16", "dim: 32").replace("out/model", "wrong/model")
                .replace("ckpt", "ckpt4"));
        CliRun reshaped = CliRun.of("finetune", "--weights", trained.toString(), "--config", cfg.toString());
        CliRun.assertOneLineError(reshaped, "blt finetune: " + cfg, "tensor shapes", "sliding_window");
        assertFalse(Files.exists(dir.resolve("wrong")));
    }

    /**
     * A file of stages runs its configs in order, each from the weights the one before wrote: the same weights, bit
     * for bit, as running them one by one; a rerun is checked for every stage before the first one starts.
     */
    @Test
    void stagesRunInOrderAsTrainThenFinetune(@TempDir Path dir) throws IOException {
        Path docs = numberedDocs(dir, 20, "pack my box with five dozen liquor jugs");
        String common = "data: {inputs: [" + docs + "], holdout_fraction: 0.2, seq_len: 32, batch_size: 2}\n"
                + "optim: {lr: 1.0e-2, warmup: 1}\neval: {every: 0, max_bytes: 0}\n";
        Path first = dir.resolve("conf/first.yaml");
        Files.createDirectories(first.getParent());
        Files.writeString(first, "model: {dim: 16, n_layers: 1, n_heads: 2, multiple_of: 16, max_seqlen: 64, "
                + "vocab_size: 260, sliding_window: 16, attn_bias_type: local_block_causal}\nsteps: 3\n"
                + "output: " + dir.resolve("one/model.safetensors") + "\n" + common
                + "checkpoint: {dir: " + dir.resolve("one/ckpt") + ", every: 2}\n");
        Path second = dir.resolve("conf/second.yaml");
        Files.writeString(second, "model: {sliding_window: 32}\nsteps: 2\n"
                + "output: " + dir.resolve("two/model.safetensors") + "\n" + common.replace("seq_len: 32", "seq_len: 48")
                + "checkpoint: {dir: " + dir.resolve("two/ckpt") + ", every: 1}\n");
        Path recipe = dir.resolve("conf/both.yaml");
        Files.writeString(recipe, "# two stages\nstages: [first.yaml, second.yaml]\n");

        String[] both = blt("train", "--config", recipe.toString());
        assertEquals("0", both[0], both[2]);
        assertTrue(both[2].contains("stage 1/2: " + first) && both[2].contains("stage 2/2: " + second), both[2]);
        assertTrue(both[1].endsWith("weights=" + dir.resolve("two/model.safetensors") + "\n"), both[1]);
        ModelWeights staged = ModelWeights.open(dir.resolve("two/model.safetensors"), null, w -> { });
        assertEquals(32, staged.config().slidingWindow());

        // one by one, into other folders
        String a = Files.readString(first).replace(dir.resolve("one").toString(), dir.resolve("a").toString());
        String b = Files.readString(second).replace(dir.resolve("two").toString(), dir.resolve("b").toString());
        Files.writeString(dir.resolve("a.yaml"), a);
        Files.writeString(dir.resolve("b.yaml"), b);
        assertEquals("0", blt("train", "--config", dir.resolve("a.yaml").toString())[0]);
        assertEquals("0", blt("finetune", "--weights", dir.resolve("a/model.safetensors").toString(),
                "--config", dir.resolve("b.yaml").toString())[0]);
        ModelWeights single = ModelWeights.open(dir.resolve("b/model.safetensors"), null, w -> { });
        for (String name : staged.asMap().keySet()) {
            assertArrayEquals(single.get(name), staged.get(name), name);
        }

        // a resume continues the stage that holds the checkpoint, then the stages after it
        Checkpoint.removeAll(dir.resolve("two/ckpt"));
        CliRun notOurs = CliRun.of("train", "--config", recipe.toString(), "--resume", dir.resolve("a/ckpt").toString());
        CliRun.assertOneLineError(notOurs, "--resume", recipe.toString(), "pass the one of the stage");
        String[] resumed = blt("train", "--config", recipe.toString(), "--resume", dir.resolve("one/ckpt").toString());
        assertEquals("0", resumed[0], resumed[2]);
        assertTrue(resumed[2].contains("stage 1/2: " + first + ", resumed from " + dir.resolve("one/ckpt/step_"))
                && resumed[2].contains("stage 2/2"), resumed[2]);
        ModelWeights again = ModelWeights.open(dir.resolve("two/model.safetensors"), null, w -> { });
        for (String name : staged.asMap().keySet()) {
            assertArrayEquals(staged.get(name), again.get(name), name);
        }

        // a fresh rerun is refused for the second stage's leftovers before the first stage runs again
        Checkpoint.removeAll(dir.resolve("one/ckpt"));
        CliRun rerun = CliRun.of("train", "--config", recipe.toString());
        CliRun.assertOneLineError(rerun, dir.resolve("two/ckpt").toString(), "set another checkpoint.dir in " + second);
        assertTrue(Checkpoint.all(dir.resolve("one/ckpt")).isEmpty(), "the first stage did not start");

        Files.writeString(recipe, "stages: [first.yaml, first.yaml]\n");
        CliRun.assertOneLineError(CliRun.of("train", "--config", recipe.toString()), "share checkpoint.dir");
        Files.writeString(recipe, "stages: [first.yaml, third.yaml]\n");
        CliRun.assertOneLineError(CliRun.of("train", "--config", recipe.toString()), recipe.toString(), "third.yaml");
        Files.writeString(recipe, "stages: [first.yaml]\nsteps: 3\n");
        CliRun.assertOneLineError(CliRun.of("train", "--config", recipe.toString()), recipe.toString(), "'steps'");
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
