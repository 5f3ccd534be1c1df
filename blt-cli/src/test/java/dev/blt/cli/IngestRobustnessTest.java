package dev.blt.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blt.data.tokenizer.ByteTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

import static dev.blt.cli.IngestTestSupport.fixtureModel;
import static dev.blt.cli.IngestTestSupport.ingest;
import static dev.blt.cli.IngestTestSupport.jsonLines;
import static dev.blt.cli.IngestTestSupport.jsonl;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What an ingest run does with long documents, earlier runs, a busy folder and documents that crashed a run. */
class IngestRobustnessTest {
    @TempDir
    Path tmp;

    private static CliRun run(String... args) {
        List<String> all = new ArrayList<>(List.of("ingest", "--quiet"));
        all.addAll(fixtureModel());
        all.addAll(List.of(args));
        return CliRun.of(all.toArray(new String[0]));
    }

    private static String words(int bytes, long seed) {
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder();
        while (sb.length() < bytes) {
            for (int k = 1 + r.nextInt(8); k > 0; k--) {
                sb.append((char) ('a' + r.nextInt(26)));
            }
            sb.append(r.nextInt(10) == 0 ? '\n' : ' ');
        }
        return sb.substring(0, bytes);
    }

    /**
     * A text file longer than a part is read in parts cut after a line break: each part a document with its offset,
     * the parts' model input the file's bytes in order; resuming redoes only a part whose record is missing.
     */
    @Test
    void aLongTextFileIsIngestedInPartsThatTileItAndResumePartByPart() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("in"));
        byte[] text = words(10_000, 1).getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve("long.txt"), text);
        Path out = tmp.resolve("out");
        assertEquals(0, ingest("--input", dir.toString(), "--output", out.toString(), "--part-bytes", "4096"));
        List<JsonNode> manifest = jsonLines(out.resolve("manifest.jsonl"));
        assertEquals(3, manifest.size());
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int k = 0; k < 3; k++) {
            IngestedDoc d = IngestedDoc.read(out, "long.txt#part" + k);
            JsonNode part = d.sidecar().get("part");
            assertEquals("long.txt", part.get("of").asText());
            assertEquals(k, part.get("index").asInt());
            assertEquals("input", part.get("space").asText());
            assertEquals(all.size(), part.get("start").asLong(), "offset of the part in the file");
            long[] tokens = d.tokens();
            byte[] bytes = new byte[tokens.length - 2];
            for (int i = 1; i < tokens.length - 1; i++) {
                bytes[i - 1] = (byte) (tokens[i] - ByteTokenizer.OFFSET);
            }
            assertTrue(bytes.length <= 4096, "a part holds at most --part-bytes");
            if (k < 2) {
                assertEquals('\n', bytes[bytes.length - 1], "cut after a line break");
            }
            assertEquals(all.size(), d.segments().get(0).originStart(), "segment origins are offsets in the file");
            all.write(bytes);
        }
        assertArrayEquals(text, all.toByteArray(), "the parts are the file, in order");

        Files.write(out.resolve("manifest.jsonl"), manifest.stream().filter(n -> !n.get("id").asText().endsWith("1"))
                .map(n -> n + "\n").collect(Collectors.joining()).getBytes(StandardCharsets.UTF_8));
        assertEquals(0, ingest("--input", dir.toString(), "--output", out.toString(), "--part-bytes", "4096",
                "--resume"));
        List<String> ids = jsonLines(out.resolve("manifest.jsonl")).stream().map(n -> n.get("id").asText()).toList();
        assertEquals(List.of("long.txt#part0", "long.txt#part2", "long.txt#part1"), ids);
    }

    /** A file that is not text and is larger than the limit fails alone, by the documented limit; the run goes on. */
    @Test
    void aBinaryFileOverTheLimitFailsAloneAndTheRunGoesOn() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("in"));
        byte[] binary = new byte[20_000];
        new Random(5).nextBytes(binary);
        binary[0] = 0;
        Files.write(dir.resolve("blob.bin"), binary);
        Files.writeString(dir.resolve("note.txt"), "a short note");
        Path out = tmp.resolve("out");
        assertEquals(1, ingest("--input", dir.toString(), "--output", out.toString(), "--max-document-bytes",
                "10000", "--part-bytes", "4096"));
        List<JsonNode> errors = jsonLines(out.resolve("errors.jsonl"));
        assertEquals(1, errors.size());
        assertTrue(errors.get(0).get("source").asText().endsWith("blob.bin"), errors.toString());
        assertTrue(errors.get(0).get("reason").asText().contains("more than the maximum 10000"), errors.toString());
        assertEquals(List.of("note.txt"), jsonLines(out.resolve("manifest.jsonl")).stream()
                .map(n -> n.get("id").asText()).toList());
    }

    @Test
    void anEarlierRunIsRefusedWithTheWayOutAndOverwriteReplacesIt() throws IOException {
        Path docs = jsonl(tmp.resolve("docs.jsonl"), Map.of("a", "first text", "b", "second text"));
        Path out = tmp.resolve("out");
        assertEquals(0, run("--input", docs.toString(), "--output", out.toString()).exitCode());
        CliRun again = run("--input", docs.toString(), "--output", out.toString());
        CliRun.assertOneLineError(again, out.toString(), "--resume", "--overwrite");

        Path fewer = jsonl(tmp.resolve("fewer.jsonl"), Map.of("c", "third text"));
        CliRun changed = run("--input", fewer.toString(), "--output", out.toString(), "--resume");
        CliRun.assertOneLineError(changed, "different settings", "--overwrite");
        assertEquals(0, run("--input", fewer.toString(), "--output", out.toString(), "--overwrite").exitCode());
        assertEquals(List.of("c"), jsonLines(out.resolve("manifest.jsonl")).stream().map(n -> n.get("id").asText())
                .toList());
        assertFalse(Files.exists(out.resolve("a.safetensors")), "the earlier run's documents are gone");
        assertTrue(Files.exists(out.resolve("c.safetensors")));
    }

    @Test
    void nothingIsCreatedBeforeInputsAndOutputAreChecked() throws IOException {
        Path out = tmp.resolve("out");
        CliRun missing = run("--input", tmp.resolve("nope.jsonl").toString(), "--output", out.toString());
        CliRun.assertOneLineError(missing, "nope.jsonl", "no such file");
        assertFalse(Files.exists(out), "no output folder for a run that cannot start");

        Path docs0 = jsonl(tmp.resolve("docs0.jsonl"), Map.of("a", "text"));
        CliRun noWeights = CliRun.of("ingest", "--quiet", "--input", docs0.toString(), "--output", out.toString(),
                "--weights", tmp.resolve("missing.safetensors").toString());
        CliRun.assertOneLineError(noWeights, "missing.safetensors", "weights not found");
        assertFalse(Files.exists(out), "no output folder for a model that cannot load");

        Path docs = jsonl(tmp.resolve("docs.jsonl"), Map.of("a", "text"));
        Path file = Files.writeString(tmp.resolve("out.txt"), "not a folder");
        CliRun notDir = run("--input", docs.toString(), "--output", file.toString());
        CliRun.assertOneLineError(notDir, "out.txt", "not a directory");
    }

    @Test
    void aSecondRunIntoABusyFolderIsRefused() throws IOException {
        Path docs = jsonl(tmp.resolve("docs.jsonl"), Map.of("a", "text"));
        Path out = Files.createDirectories(tmp.resolve("out"));
        try (FileChannel ch = FileChannel.open(out.resolve(".ingest.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock held = ch.lock()) {
            CliRun busy = run("--input", docs.toString(), "--output", out.toString());
            CliRun.assertOneLineError(busy, "another ingest run is writing here");
            assertTrue(held.isValid());
        }
        assertEquals(0, run("--input", docs.toString(), "--output", out.toString()).exitCode());
    }

    /**
     * A document in flight when a run died is retried alone on resume; one in flight in two runs that died is
     * skipped and reported instead of ending every resumed run the same way.
     */
    @Test
    void resumeRetriesAloneWhatACrashInterruptedAndSkipsWhatInterruptedTwice() throws IOException {
        Path docs = jsonl(tmp.resolve("docs.jsonl"), Map.of("a", "first", "b", "second", "c", "third"));
        Path out = tmp.resolve("out");
        assertEquals(0, ingest("--input", docs.toString(), "--output", out.toString()));
        // as a run that died twice in b and once in a batch with c would have left it
        List<JsonNode> done = jsonLines(out.resolve("manifest.jsonl"));
        Files.write(out.resolve("manifest.jsonl"), done.stream().filter(n -> n.get("id").asText().equals("a"))
                .map(n -> n + "\n").collect(Collectors.joining()).getBytes(StandardCharsets.UTF_8));
        Files.writeString(out.resolve("attempts.jsonl"),
                "{\"started\":[\"b\",\"c\"]}\n{\"started\":[\"b\"]}\n", StandardOpenOption.APPEND);
        assertEquals(IngestCommand.EXIT_SOME_FAILED, ingest("--input", docs.toString(), "--output", out.toString(),
                "--resume"));
        List<JsonNode> errors = jsonLines(out.resolve("errors.jsonl"));
        assertEquals(1, errors.size());
        assertEquals("b", errors.get(0).get("id").asText());
        assertTrue(errors.get(0).get("reason").asText().contains("ended 2 times"), errors.toString());
        assertEquals(List.of("a", "c"), jsonLines(out.resolve("manifest.jsonl")).stream()
                .map(n -> n.get("id").asText()).toList());
        List<JsonNode> attempts = jsonLines(out.resolve("attempts.jsonl"));
        assertEquals("[\"c\"]", attempts.get(attempts.size() - 2).get("started").toString(), "c went alone");
    }
}
