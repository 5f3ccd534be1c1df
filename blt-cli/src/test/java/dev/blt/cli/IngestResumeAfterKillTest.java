package dev.blt.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.blt.cli.IngestTestSupport.expectedTokens;
import static dev.blt.cli.IngestTestSupport.jsonLines;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kills a real ingest process (SIGKILL) in the middle of a run, resumes it, and checks every document once.
 * Slow (a second JVM loads ND4J): about 40-70 s on a loaded 2-core machine; run with {@code -Pslow}.
 */
@Tag("slow")
class IngestResumeAfterKillTest {
    private static final int DOCS = 240;

    @TempDir
    Path tmp;

    @Test
    void resumeAfterSigkillFinishesWithNoMissingAndNoDuplicateDocument() throws Exception {
        Map<String, String> texts = new LinkedHashMap<>();
        SplittableRandom rnd = new SplittableRandom(7);
        String words = "entropy patch byte model window cache resume manifest kill signal document ";
        for (int i = 0; i < DOCS; i++) {
            int n = 40 + rnd.nextInt(200);
            StringBuilder sb = new StringBuilder();
            while (sb.length() < n) {
                int at = rnd.nextInt(words.length() - 8);
                sb.append(words, at, at + 8);
            }
            texts.put("doc-" + i, sb.toString());
        }
        Path input = IngestTestSupport.jsonl(tmp.resolve("docs.jsonl"), texts);
        Path out = tmp.resolve("out");
        List<String> args = new ArrayList<>(List.of("ingest", "--quiet", "--input", input.toString(),
                "--output", out.toString(), "--batch", "4"));
        args.addAll(IngestTestSupport.fixtureModel());

        Process child = IngestTestSupport.childJvm(args, "1g").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Path manifest = out.resolve("manifest.jsonl");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (finishedLines(manifest) < 20 && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(child.isAlive(), () -> "the child ended before it could be killed: " + childError(child));
        child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no flushing
        child.waitFor(30, TimeUnit.SECONDS);
        int before = jsonLines(manifest).size();
        assertTrue(before >= 20 && before < DOCS, "killed mid-run after " + before + " documents");

        List<String> resume = new ArrayList<>(args);
        resume.add("--resume");
        assertEquals(0, Main.run(resume.toArray(new String[0])));

        List<JsonNode> done = jsonLines(manifest);
        Set<String> ids = new HashSet<>();
        Set<Long> ordinals = new HashSet<>();
        for (JsonNode n : done) {
            assertTrue(ids.add(n.get("id").asText()), "duplicate " + n);
            assertTrue(ordinals.add(n.get("ordinal").asLong()), "duplicate " + n);
        }
        assertEquals(texts.keySet(), ids, "every document exactly once");
        assertEquals(DOCS, done.size());
        for (Map.Entry<String, String> e : texts.entrySet()) {
            IngestedDoc d = IngestedDoc.read(out, e.getKey());
            assertArrayEquals(expectedTokens(e.getValue().getBytes(StandardCharsets.UTF_8)), d.tokens(), e.getKey());
            assertEquals(d.length(), d.entropies().length);
        }
        try (Stream<Path> files = Files.list(out)) {
            List<String> names = files.map(p -> p.getFileName().toString()).toList();
            assertTrue(names.stream().noneMatch(n -> n.endsWith(".tmp")), "temporary files left: " + names);
            assertEquals(2 * DOCS, names.stream().filter(n -> n.startsWith("doc-")).count(), "two files per document");
            assertEquals(Set.of("run.json", "manifest.jsonl", "errors.jsonl", "attempts.jsonl", ".ingest.lock"),
                    names.stream().filter(n -> !n.startsWith("doc-")).collect(Collectors.toSet()),
                    "the run's own files, as docs/ingest.md lists them");
        }
        assertEquals(List.of(), jsonLines(out.resolve("errors.jsonl")));
    }

    private static String childError(Process child) {
        try {
            return "exit " + child.exitValue() + "\n" + new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static int finishedLines(Path manifest) throws IOException {
        return Files.exists(manifest) ? jsonLines(manifestCopy(manifest)).size() : 0;
    }

    /** The child may be mid-append: read a snapshot and drop a torn last line. */
    private static Path manifestCopy(Path manifest) throws IOException {
        byte[] all = Files.readAllBytes(manifest);
        int n = all.length;
        while (n > 0 && all[n - 1] != '\n') {
            n--;
        }
        Path copy = Files.createTempFile("manifest", ".jsonl");
        Files.write(copy, java.util.Arrays.copyOf(all, n));
        copy.toFile().deleteOnExit();
        return copy;
    }
}
