package dev.blt.spark;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.sql.SparkSession;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What the Spark tests share: a local session, a stream that keeps a job's messages, a quiet expected failure. */
final class TestSpark {
    private TestSpark() {
    }

    static SparkSession session(String appName) {
        // warnings about this machine (a loopback host name, no native Hadoop library), not about the code under test
        Configurator.setLevel("org.apache.spark.util.Utils", Level.ERROR);
        Configurator.setLevel("org.apache.hadoop.util.NativeCodeLoader", Level.ERROR);
        return SparkSession.builder().master("local[2]").appName(appName)
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4").getOrCreate();
    }

    interface Body {
        void run() throws Exception;
    }

    /**
     * Runs {@code body} with Spark's log off: a job that fails on purpose makes Spark log every task's stack trace,
     * and its killed tasks report after the job has thrown, so the log stays off until the whole body is done
     * (Hadoop's too: the aborted job's temporary files).
     * The test's assertions say whether it went as expected.
     */
    static void withSparkLogOff(Body body) throws Exception {
        Map<String, Level> before = new HashMap<>();
        for (String name : List.of("org.apache.spark", "org.apache.spark.util.Utils", "org.apache.hadoop")) {
            before.put(name, LogManager.getLogger(name).getLevel());
        }
        Map<String, Level> off = new HashMap<>();
        before.keySet().forEach(name -> off.put(name, Level.OFF));
        Configurator.setLevel(off);
        try {
            body.run();
        } finally {
            Configurator.setLevel(before);
        }
    }

    /** A command line's refusal: exit code 2 and one line on stderr holding every fragment. */
    static synchronized void assertOneLineError(java.util.function.IntSupplier command, String... fragments) {
        PrintStream err = System.err;
        Messages messages = new Messages();
        System.setErr(messages.stream);
        int code;
        try {
            code = command.getAsInt();
        } finally {
            System.setErr(err);
        }
        String text = messages.text();
        org.junit.jupiter.api.Assertions.assertEquals(2, code, text);
        org.junit.jupiter.api.Assertions.assertEquals(1, text.lines().count(), "one line expected: " + text);
        for (String f : fragments) {
            org.junit.jupiter.api.Assertions.assertTrue(text.contains(f), "'" + f + "' not in: " + text);
        }
    }

    /**
     * A missing input and an output that is a file are refused in one line each, before a session starts or
     * anything is created.
     */
    static void assertInputAndOutputCheckedFirst(java.util.function.ToIntFunction<String[]> command, Path missing,
                                                 Path input, Path dir) throws java.io.IOException {
        Path out = dir.resolve("never");
        assertOneLineError(() -> command.applyAsInt(new String[]{"--input", missing.toString(), "--output",
                out.toString()}), missing.getFileName().toString(), "no such file");
        org.junit.jupiter.api.Assertions.assertFalse(java.nio.file.Files.exists(out),
                "no output folder for a run that cannot start");
        Path file = java.nio.file.Files.writeString(dir.resolve("out.txt"), "not a folder");
        assertOneLineError(() -> command.applyAsInt(new String[]{"--input", input.toString(), "--output",
                file.toString()}), "out.txt", "not a directory");
    }

    /** A job's messages, kept for the test to check instead of going to the console. */
    static final class Messages {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
