package dev.blt.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blt.model.Fixtures;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Inputs and model arguments shared by the ingest tests. */
final class IngestTestSupport {
    static final ObjectMapper JSON = new ObjectMapper();

    private IngestTestSupport() {
    }

    /** The small sliding-window fixture model (dim 64, window 16) that upstream's PyTorch code was run on. */
    static List<String> fixtureModel() {
        return List.of("--weights", Fixtures.file("entropy_swa.safetensors").toString(),
                "--model-config", Fixtures.file("entropy_swa.json").toString());
    }

    static String fixtureText(String sequence) {
        return Fixtures.json("entropy_swa.json").get("sequences").get(sequence).get("text").asText();
    }

    /** A JSONL file with {@code {"id": ..., "text": ...}} per entry, in order. */
    static Path jsonl(Path file, Map<String, String> docs) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : docs.entrySet()) {
            ObjectNode o = JSON.createObjectNode().put("id", e.getKey()).put("text", e.getValue());
            sb.append(JSON.writeValueAsString(o)).append('\n');
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
        return file;
    }

    /** Runs {@code ./blt ingest} in this JVM with the fixture model plus {@code args}; returns the exit code. */
    static int ingest(String... args) {
        return Main.run(ingestArgs(args));
    }

    /** {@link #ingest} for runs that report on stderr (errors, failed documents), which the caller checks. */
    static CliRun ingestCaptured(String... args) {
        return CliRun.of(ingestArgs(args));
    }

    private static String[] ingestArgs(String... args) {
        List<String> all = new ArrayList<>(List.of("ingest", "--quiet"));
        all.addAll(fixtureModel());
        all.addAll(List.of(args));
        return all.toArray(new String[0]);
    }

    static List<JsonNode> jsonLines(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file)) {
                if (!line.isBlank()) {
                    out.add(JSON.readTree(line));
                }
            }
        }
        return out;
    }

    /** Upstream's byte tokenization, spelled out: BOS, then each UTF-8 byte + 4, then EOS. */
    static long[] expectedTokens(byte[] bytes) {
        long[] t = new long[bytes.length + 2];
        t[0] = 1;
        for (int i = 0; i < bytes.length; i++) {
            t[i + 1] = (bytes[i] & 0xff) + 4;
        }
        t[t.length - 1] = 2;
        return t;
    }

    /** {@code ./blt args} in a fresh JVM with this test's class path and a heap of {@code xmx}, ready to start. */
    static ProcessBuilder childJvm(List<String> args, String xmx) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + xmx, "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "-Dorg.bytedeco.javacpp.cachedir=" + System.getProperty("org.bytedeco.javacpp.cachedir", ""),
                "-Dblt.fixtures=" + Fixtures.dir().toAbsolutePath(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        return pb;
    }
}
