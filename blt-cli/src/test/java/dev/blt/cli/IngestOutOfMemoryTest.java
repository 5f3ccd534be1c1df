package dev.blt.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static dev.blt.cli.IngestTestSupport.jsonLines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A document whose own work runs out of Java heap fails alone: in a JVM of 128 MB, a 13 MB text read whole (a part
 * as large as the file) cannot be pre-tokenized into its millions of words, and goes to errors.jsonl with the way
 * out; the documents beside it are written and the run ends with exit code 1.
 */
class IngestOutOfMemoryTest {
    @TempDir
    Path tmp;

    @Test
    void aDocumentThatRunsOutOfMemoryFailsAloneAndTheRunGoesOn() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        Random r = new Random(1);
        String[] words = {"alpha", "beta", "gamma", "delta", "x", "y"};
        StringBuilder huge = new StringBuilder();
        while (huge.length() < 13_000_000) {
            huge.append(words[r.nextInt(words.length)]).append(' ');
        }
        Files.writeString(in.resolve("huge.txt"), huge, StandardCharsets.UTF_8);
        for (int i = 0; i < 3; i++) {
            Files.writeString(in.resolve("small" + i + ".txt"), "a small note number " + i);
        }
        Path out = tmp.resolve("out");
        List<String> args = new ArrayList<>(List.of("ingest", "--quiet", "--input", in.toString(), "--output",
                out.toString(), "--part-bytes", String.valueOf(32 << 20)));
        args.addAll(IngestTestSupport.fixtureModel());
        Process child = IngestTestSupport.childJvm(args, "128m").redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), output);
        assertEquals(IngestCommand.EXIT_SOME_FAILED, child.exitValue(), output);
        List<JsonNode> errors = jsonLines(out.resolve("errors.jsonl"));
        assertEquals(1, errors.size(), errors.toString());
        assertEquals("huge.txt", errors.get(0).get("id").asText());
        assertTrue(errors.get(0).get("reason").asText().startsWith("out of memory while pre-tokenizing"),
                errors.toString());
        assertTrue(errors.get(0).get("reason").asText().contains("--part-bytes"), errors.toString());
        assertEquals(List.of("small0.txt", "small1.txt", "small2.txt"), jsonLines(out.resolve("manifest.jsonl"))
                .stream().map(n -> n.get("id").asText()).sorted().toList());
    }
}
