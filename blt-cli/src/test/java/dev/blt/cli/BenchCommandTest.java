package dev.blt.cli;

import dev.blt.model.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.blt.cli.CliRun.assertOneLineError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./blt bench} on a small fixture config, and {@code bench/side_by_side.py} driving benchmark processes in
 * turns: with scripted contenders (exact ratios, the turn order) and with two real {@code ./blt bench --paced} JVMs.
 */
class BenchCommandTest {
    private static final Path SIDE_BY_SIDE = Path.of("..", "bench", "side_by_side.py").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private final String config = Fixtures.file("entropy_swa.json").toString();

    @Test
    void reportsTheMedianRunAndTokensPerSecondLast() {
        CliRun r = CliRun.of("bench", "--model-config", config, "--seq", "48", "--batch", "2", "--runs", "3",
                "--warmup", "1");
        assertEquals(0, r.exitCode(), r.err());
        Map<String, String> v = keyValues(r.out());
        assertTrue(v.get("preset").contains("seq=48 batch=2 threads=2"), r.out());
        double median = Double.parseDouble(v.get("median_seconds"));
        double tps = Double.parseDouble(v.get("tokens_per_second"));
        // tokens over the median run, which is printed to 4 decimals
        assertTrue(tps >= 96 / (median + 5e-5) && tps <= 96 / (median - 5e-5), tps + " tokens/s for " + median + " s");
        assertTrue(Double.parseDouble(v.get("gflops_per_second")) > 0);
        assertTrue(Double.parseDouble(v.get("gemm_gflops_per_second")) > 0);
        assertTrue(Long.parseLong(v.get("peak_rss_mb")) > 0);
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(lines.size() - 1).startsWith("tokens_per_second="), "last line: " + r.out());
        assertEquals(3, r.err().lines().filter(l -> l.startsWith("timed run")).count(), r.err());
        assertEquals(1, r.err().lines().filter(l -> l.startsWith("warmup run")).count(), r.err());
    }

    @Test
    void trainTimesOptimizerStepsOnATinyModel() throws IOException {
        Path tiny = dir.resolve("tiny.json");
        Files.writeString(tiny, "{\"dim\": 32, \"n_layers\": 2, \"n_heads\": 2, \"vocab_size\": 260, \"max_seqlen\": 64}");
        CliRun r = CliRun.of("bench", "--train", "--model-config", tiny.toString(), "--seq", "24", "--batch", "2",
                "--runs", "1");
        assertEquals(0, r.exitCode(), r.err());
        Map<String, String> v = keyValues(r.out());
        assertTrue(v.get("preset").endsWith("seq=24 batch=2 threads=2 mode=train"), r.out());
        double step = Double.parseDouble(v.get("step_seconds"));
        assertEquals(step, Double.parseDouble(v.get("median_seconds")), 1e-4);
        assertTrue(Long.parseLong(v.get("peak_rss_mb")) > 0);
        List<String> lines = r.out().lines().toList();
        String last = lines.get(lines.size() - 1);
        assertTrue(last.startsWith("tokens_per_second="), "last line: " + r.out());
        assertTrue(Double.parseDouble(last.substring("tokens_per_second=".length())) > 0, last);
        // the default warm-up for training is one step; the loss is that of random weights on random bytes
        assertEquals(1, r.err().lines().filter(l -> l.startsWith("warmup run")).count(), r.err());
        String loss = r.err().lines().filter(l -> l.startsWith("loss of the last step: ")).findFirst().orElseThrow();
        assertEquals(Math.log(256), Double.parseDouble(loss.substring(loss.lastIndexOf(' ') + 1)), 0.5, loss);
        assertOneLineError(CliRun.of("bench", "--train", "--model-config", tiny.toString(), "--streams", "2"),
                "--streams", "--train");
    }

    @Test
    void pacedRunsOncePerInputLineUntilEndOfInput() {
        CliRun r = withStdin("go\ngo\n", "bench", "--model-config", config, "--seq", "32", "--warmup", "0", "--paced");
        assertEquals(0, r.exitCode(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals("ready", lines.get(0));
        assertTrue(lines.get(1).startsWith("seconds=") && lines.get(2).startsWith("seconds="), r.out());
        assertTrue(lines.get(3).startsWith("preset="), "two runs, then the summary: " + r.out());
        double slower = Math.max(seconds(lines.get(1)), seconds(lines.get(2)));
        double faster = Math.min(seconds(lines.get(1)), seconds(lines.get(2)));
        assertEquals((slower + faster) / 2, Double.parseDouble(keyValues(r.out()).get("median_seconds")), 1e-4);
        assertTrue(lines.get(lines.size() - 1).startsWith("tokens_per_second="));
    }

    @Test
    void pacedWithoutAnyRequestIsAUsageError() {
        CliRun r = withStdin("", "bench", "--model-config", config, "--seq", "16", "--warmup", "0", "--paced");
        assertEquals(Main.EXIT_USAGE, r.exitCode(), r.err());
        List<String> err = r.err().lines().toList();
        assertTrue(err.get(err.size() - 1).matches("blt bench: --paced: .*stdin"), r.err());
        assertEquals("ready", r.out().strip(), "no summary without a run");
    }

    @Test
    void rejectsNonPositiveSizesAndUnknownPresets() {
        assertOneLineError(CliRun.of("bench", "--model-config", config, "--seq", "0"), "--seq");
        assertOneLineError(CliRun.of("bench", "--preset", "huge"), "--preset", "huge");
        assertOneLineError(CliRun.of("bench", "--model-config", dir.resolve("none.json").toString()), "none.json");
    }

    @Test
    void sideBySideTakesTurnsAndPairsNeighbouringRuns() throws Exception {
        Path order = dir.resolve("order.txt");
        Path fake = fakeContender();
        Python.Result p = python(SIDE_BY_SIDE.toString(), "--pairs", "4", "--tokens", "100",
                "--a", "python3 " + fake + " a 1.0 " + order, "--b", "python3 " + fake + " b 2.5 " + order);
        assertEquals(0, p.exit(), p.err());
        // A B, B A, A B, B A: each side runs first in half the pairs
        assertEquals("abbaabba", Files.readString(order));
        // whenever one ran, the other was stopped (state T), not merely idle
        assertEquals("TTTTTTTT", Files.readString(dir.resolve("peer-states.txt")));
        List<String> pairs = p.out().lines().filter(l -> l.startsWith("pair=")).toList();
        assertEquals(4, pairs.size(), p.out());
        assertTrue(pairs.get(0).contains("a_tokens_per_second=100.00 b_tokens_per_second=40.00"), pairs.get(0));
        List<String> lines = p.out().lines().toList();
        assertEquals("a_faster_in=4/4 min_ratio=2.500 max_ratio=2.500", lines.get(lines.size() - 2));
        assertEquals("ratio_a_over_b=2.500", lines.get(lines.size() - 1));
        assertTrue(p.err().contains("[a] warming up") && p.err().contains("[b] summary"),
                "other lines go to stderr: " + p.err());
    }

    @Test
    void sideBySideNamesAContenderThatStopsEarly() throws Exception {
        Python.Result p = python(SIDE_BY_SIDE.toString(), "--pairs", "2", "--a",
                "python3 " + fakeContender() + " a 1.0 " + dir.resolve("o.txt"),
                "--b", "python3 -c \"import sys; sys.exit(4)\"");
        assertNotEquals(0, p.exit());
        assertTrue(p.err().contains("b (python3 -c") && p.err().contains("exit code 4")
                && p.err().contains("'ready'"), p.err());
    }

    @Test
    void sideBySideDrivesTwoPacedBenchProcesses() throws Exception {
        String bench = javaCommand() + " dev.blt.cli.Main bench --model-config " + config + " --seq 32 --warmup 1 --paced";
        Python.Result p = python(SIDE_BY_SIDE.toString(), "--pairs", "2", "--tokens", "32", "--a", bench, "--b", bench);
        assertEquals(0, p.exit(), p.err());
        List<String> pairs = p.out().lines().filter(l -> l.startsWith("pair=")).toList();
        assertEquals(2, pairs.size(), p.out());
        assertTrue(p.out().lines().reduce((x, y) -> y).orElseThrow().matches("ratio_a_over_b=\\d+\\.\\d{3}"), p.out());
        // each contender's own summary, printed when its input ends, reaches stderr
        assertEquals(2, p.err().lines().filter(l -> l.matches("\\[[ab]] tokens_per_second=.*")).count(), p.err());
    }

    /**
     * A contender of the protocol that reports a fixed time and, on each run, records its label and the scheduler
     * state of the other contender (from /proc; each writes its pid beside the order file).
     */
    private Path fakeContender() throws IOException {
        Path f = dir.resolve("fake.py");
        Files.writeString(f, String.join("\n",
                "import os, sys",
                "label, secs, order = sys.argv[1], sys.argv[2], sys.argv[3]",
                "folder = os.path.dirname(order)",
                "open(os.path.join(folder, label + '.pid'), 'w').write(str(os.getpid()))",
                "peer = os.path.join(folder, ('b' if label == 'a' else 'a') + '.pid')",
                "print('warming up'); print('ready', flush=True)",
                "for _ in sys.stdin:",
                "    open(order, 'a').write(label)",
                "    if os.path.exists(peer):",
                "        state = open('/proc/%s/stat' % open(peer).read()).read().rsplit(')', 1)[1].split()[0]",
                "        open(os.path.join(folder, 'peer-states.txt'), 'a').write(state)",
                "    print('seconds=' + secs, flush=True)",
                "print('summary')", ""));
        return f;
    }

    /** This test JVM's java, class path and native-library options: what ./blt would run. */
    private static String javaCommand() {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("-D") || arg.startsWith("--add-opens")) {
                cmd.add(arg);
            }
        }
        cmd.add("-Xmx1g");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        return String.join(" ", cmd);
    }

    private Python.Result python(String... args) throws Exception {
        return Python.run(dir, Duration.ofMinutes(5), args);
    }

    private static CliRun withStdin(String input, String... args) {
        InputStream old = System.in;
        try {
            System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
            return CliRun.of(args);
        } finally {
            System.setIn(old);
        }
    }

    private static double seconds(String line) {
        return Double.parseDouble(line.substring("seconds=".length()));
    }

    /** key=value pairs of the summary; the first line holds several, kept whole under "preset". */
    private static Map<String, String> keyValues(String out) {
        Map<String, String> v = new LinkedHashMap<>();
        for (String line : out.lines().toList()) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                v.put(line.substring(0, eq), line.startsWith("preset=") ? line : line.substring(eq + 1));
            }
        }
        return v;
    }
}
