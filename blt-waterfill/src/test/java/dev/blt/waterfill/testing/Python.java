package dev.blt.waterfill.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a python3 + numpy snippet when the machine has them (tests skip otherwise; CI need not have Python). */
public final class Python {
    private static Boolean available;

    private Python() {
    }

    public static synchronized boolean hasNumpy() {
        if (available == null) {
            try {
                available = run("import numpy").exit == 0;
            } catch (IOException e) {
                available = false;
            }
        }
        return available;
    }

    public record Result(int exit, String out) {
    }

    /** Runs {@code python3 -c script args...}; stdout and stderr together. */
    public static Result run(String script, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("python3", "-c", script));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("python3 timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
    }
}
