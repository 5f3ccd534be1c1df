package dev.blt.data.pretokenize;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Checks shared by the pre-tokenizer tests. */
final class SegmentAssertions {
    private SegmentAssertions() {
    }

    /** The byte-preservation invariant: bytes concatenate to the input and every range points at its bytes. */
    static void assertCoversInput(byte[] input, List<ByteSegment> segments) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (ByteSegment s : segments) {
            assertEquals(SegmentMetadata.Origin.INPUT, s.metadata().origin(), s.label());
            byte[] atRange = Arrays.copyOfRange(input, (int) s.metadata().start(), (int) s.metadata().end());
            assertArrayEquals(atRange, s.bytes(), s.label() + " at " + s.metadata().start());
            all.writeBytes(s.bytes());
        }
        assertArrayEquals(input, all.toByteArray());
    }

    static List<String> labels(List<ByteSegment> segments) {
        return segments.stream().map(ByteSegment::label).toList();
    }

    static List<String> texts(List<ByteSegment> segments) {
        return segments.stream().map(s -> new String(s.bytes(), StandardCharsets.UTF_8)).toList();
    }

    /** Runs python3 with a script; null when python3 (or a module it imports) is not available here. */
    static String python(String script, String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 3];
        command[0] = "python3";
        command[1] = "-c";
        command[2] = script;
        System.arraycopy(args, 0, command, 3, args.length);
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return null;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            return null;
        }
        return out;
    }
}
