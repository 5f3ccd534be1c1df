package dev.blt.train;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blt.data.tensors.SafeTensorsFile;
import dev.blt.model.Fixtures;
import dev.blt.model.LMTransformer;
import dev.blt.model.Scores;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BitsPerByteTest {
    @Test
    void uniformLogitsCostLogVocabPerPrediction() {
        int[] tokens = {1, 10, 11, 2};
        float[] logits = new float[4 * 8]; // all equal: uniform over 8
        assertEquals(3 * Math.log(8), nll(tokens, logits, 8, 3), 1e-12);
        float[] sharp = new float[2 * 4];
        sharp[1] = 2f; // position 0 predicts token 1 with logits (0, 2, 0, 0)
        double expected = Math.log(3 + Math.exp(2)) - 2;
        assertEquals(expected, nll(new int[]{0, 1}, sharp, 4, 1), 1e-12);
    }

    /** The likelihood of a row whose logits arrive in chunks of {@code chunk} positions. */
    private static double nll(int[] tokens, float[] logits, int vocab, int chunk) {
        BitsPerByte.Likelihood sink = new BitsPerByte.Likelihood(tokens, vocab, null);
        for (int from = 0; from < tokens.length; from += chunk) {
            int n = Math.min(chunk, tokens.length - from);
            sink.accept(from, new Scores(n, Arrays.copyOfRange(logits, from * vocab, (from + n) * vocab), null, null,
                    null));
        }
        return sink.nats();
    }

    /** Against upstream's own logits for the fixture documents (BOS + bytes + EOS). */
    @Test
    void matchesCrossEntropyOfUpstreamLogits() throws IOException {
        try (LMTransformer model = LMTransformer.build(Fixtures.weights("base"))) {
            JsonNode seqs = Fixtures.json("entropy_base.json").get("sequences");
            double nats = 0;
            long bytes = 0;
            try (SafeTensorsFile st = Fixtures.tensors("entropy_base.safetensors")) {
                for (String name : List.of("short", "para")) {
                    int[] tokens = Fixtures.ints(st.readLongs("fixture." + name + ".tokens"));
                    nats += nll(tokens, st.readFloats("fixture." + name + ".logits"), 260, 7);
                    bytes += seqs.get(name).get("text").asText().getBytes(StandardCharsets.UTF_8).length;
                }
            }
            BitsPerByte.Result r = BitsPerByte.evaluate(model, new ListSource(List.of(
                    seqs.get("short").get("text").asText(), seqs.get("para").get("text").asText())), 0);
            assertEquals(2, r.documents());
            assertEquals(bytes, r.bytes());
            assertEquals(bytes + 2, r.predictions());
            assertEquals(nats / Math.log(2) / bytes, r.bitsPerByte(), 1e-5);
            assertEquals(nats / (bytes + 2), r.loss(), 1e-5);
        }
    }
}
