package dev.blt.cli;

import dev.blt.model.AttentionBias;
import dev.blt.model.ModelConfig;
import dev.blt.model.ModelWeights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.Deflater;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The model shipped in {@code weights/}, held to what its model card promises, on text it was not trained on: this
 * project's own files (its training corpus comes from Debian, npm and Maven packages).
 */
class DefaultModelTest {
    private static final Path WEIGHTS = Path.of("..", "weights", "default.safetensors");
    private static final int DOCUMENT_BYTES = 16 * 1024;

    @Test
    void isSmallWindowedAndCarriesItsThreshold() throws IOException {
        assertTrue(Files.size(WEIGHTS) <= 20L << 20, "weights must stay small enough for git");
        ModelConfig c = ModelWeights.open(WEIGHTS, null, w -> { }).config();
        assertEquals(AttentionBias.LOCAL_BLOCK_CAUSAL, c.attnBiasType());
        assertNotNull(c.slidingWindow());
        Float threshold = ModelWeights.recommendedThreshold(WEIGHTS);
        assertNotNull(threshold, "recommended_threshold in the metadata");
        assertTrue(threshold > 0 && threshold < Math.log(256), "threshold " + threshold);
    }

    /**
     * Bits per byte below DEFLATE at its best level (the algorithm of {@code gzip -9}, its 18 bytes of framing
     * added) on 16 KB of prose-like Markdown and of Java source, each scored alone as the model card's table is;
     * and a second half no worse than the first, far past the model's window.
     */
    @Test
    void beatsGzipOnTextItNeverSawAndKeepsItsFootingPastTheWindow(@TempDir Path dir) throws IOException {
        Map<String, Path> sources = Map.of(
                "markdown", Path.of("..", "README.md"),
                "java", Path.of("..", "blt-graph", "src", "main", "java", "dev", "blt", "graph", "GraphPlan.java"));
        for (Map.Entry<String, Path> e : sources.entrySet()) {
            byte[] all = Files.readAllBytes(e.getValue());
            assertTrue(all.length >= DOCUMENT_BYTES, e.getValue() + " is shorter than " + DOCUMENT_BYTES);
            byte[] doc = Arrays.copyOf(all, DOCUMENT_BYTES);
            Path in = Files.createDirectories(dir.resolve(e.getKey())).resolve("doc.txt");
            Files.write(in, doc);
            CliRun r = CliRun.of("eval", "--weights", WEIGHTS.toString(), "--input", in.toString());
            assertEquals(0, r.exitCode(), r.err());
            Map<String, Double> got = r.out().lines().filter(l -> l.contains("="))
                    .collect(Collectors.toMap(l -> l.substring(0, l.indexOf('=')),
                            l -> Double.parseDouble(l.substring(l.indexOf('=') + 1))));
            double gzip = 8.0 * (deflated(doc) + 18) / doc.length;
            double model = got.get("bits_per_byte");
            assertTrue(model < gzip, e.getKey() + ": model " + model + " bits per byte, gzip -9 " + gzip);
            assertTrue(got.get("second_half_bits_per_byte") <= got.get("first_half_bits_per_byte"),
                    e.getKey() + ": " + r.out());
        }
    }

    private static int deflated(byte[] data) {
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
        d.setInput(data);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (!d.finished()) {
            out.write(buf, 0, d.deflate(buf));
        }
        d.end();
        return out.size();
    }
}
