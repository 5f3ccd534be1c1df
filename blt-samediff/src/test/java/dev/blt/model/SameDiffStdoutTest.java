package dev.blt.model;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class SameDiffStdoutTest {
    @Test
    void dropsOnlyTheCallersWritesAndRestoresStdout() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        try {
            SameDiffStdout.muted(() -> {
                System.out.println("from the call");
                Thread other = new Thread(() -> System.out.println("from another thread"));
                other.start();
                try {
                    other.join();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertSame(capture, System.out, "restored");
        } finally {
            System.setOut(original);
        }
        assertEquals("from another thread" + System.lineSeparator(), captured.toString(StandardCharsets.UTF_8));
    }
}
