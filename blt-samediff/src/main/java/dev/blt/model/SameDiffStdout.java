package dev.blt.model;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;

/**
 * The one place that touches the process's {@code System.out}: SameDiff M2.1's {@code createGradFunction} prints a
 * line per op it differentiates with {@code System.out.println}, unconditionally (no logger or flag to turn it off),
 * and stdout belongs to the CLI. While such a call runs, {@code System.out} drops what the calling thread writes and
 * passes on what any other thread writes; the previous stream is restored after.
 */
final class SameDiffStdout {
    private SameDiffStdout() {
    }

    /** Runs {@code call} with its own writes to {@code System.out} dropped. */
    static synchronized void muted(Runnable call) {
        PrintStream previous = System.out;
        Thread caller = Thread.currentThread();
        OutputStream othersOnly = new OutputStream() {
            @Override
            public void write(int b) {
                if (Thread.currentThread() != caller) {
                    previous.write(b);
                }
            }

            @Override
            public void write(byte[] b, int off, int len) {
                if (Thread.currentThread() != caller) {
                    previous.write(b, off, len);
                }
            }

            @Override
            public void flush() throws IOException {
                previous.flush();
            }
        };
        System.setOut(new PrintStream(othersOnly, true));
        try {
            call.run();
        } finally {
            System.setOut(previous);
        }
    }
}
