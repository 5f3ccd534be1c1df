package dev.blt.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs {@code ./blt} in-process and captures its exit code, stdout and stderr. */
record CliRun(int exitCode, String out, String err) {

    static synchronized CliRun of(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** A usage error: exit code 2 and one line on stderr (warnings aside) holding every fragment. */
    static void assertOneLineError(CliRun r, String... fragments) {
        assertEquals(Main.EXIT_USAGE, r.exitCode(), r.err());
        String err = r.err().lines().filter(l -> !l.startsWith("blt: warning")).reduce("", (a, b) -> a + b + "\n");
        assertEquals(1, err.lines().count(), "one line expected: " + err);
        for (String f : fragments) {
            assertTrue(err.contains(f), "'" + f + "' not in: " + err);
        }
    }
}
