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
        int[] tokens = {1, 5, 6, 2};
        float[] logits = new float[4 * 8]; // all equal: uniform over 8
        assertEquals(3 * Math.log(8), nll(tokens, logits, 8, 3), 1e-12);
        float[] sharp = new float[2 * 4];
        sharp[1] = 2f; // position 0 predicts token 1 with logits (0, 2, 0, 0)
        double expected = Math.log(3 + Math.exp(2)) - 2;
        assertEquals(expected, nll(new int[]{0, 1}, sharp, 4, 1), 1e-12);
    }

    @Test
    void firstHalfHoldsThePredictionsOfTheFirstHalfOfTheBytes() {
        // BOS, 5 bytes, EOS: targets 1..6; the first half is bytes 0 and 1 (5 / 2 rounded down), i.e. targets 1, 2
        int[] tokens = {1, 10, 11, 12, 13, 14, 2};
        int vocab = 16;
        float[] logits = new float[tokens.length * vocab];
        for (int p = 0; p < tokens.length; p++) {
            logits[p * vocab + tokens[Math.min(p + 1, tokens.length - 1)]] = p; // a sharper guess at each position
        }
        double first = 0;
        double all = 0;
        for (int t = 1; t < tokens.length; t++) {
            double cost = Math.log(vocab - 1 + Math.exp(t - 1)) - (t - 1);
            all += cost;
            first += t <= 2 ? cost : 0;
        }
        BitsPerByte.Likelihood sink = likelihood(tokens, logits, vocab, 4);
        assertEquals(all, sink.nats(), 1e-12);
        assertEquals(first, sink.firstHalfNats(), 1e-12);
    }

    /** The likelihood of a row whose logits arrive in chunks of {@code chunk} positions. */
    private static BitsPerByte.Likelihood likelihood(int[] tokens, float[] logits, int vocab, int chunk) {
        BitsPerByte.Likelihood sink = new BitsPerByte.Likelihood(tokens, vocab, null);
        for (int from = 0; from < tokens.length; from += chunk) {
            int n = Math.min(chunk, tokens.length - from);
            sink.accept(from, new Scores(n, Arrays.copyOfRange(logits, from * vocab, (from + n) * vocab), null, null,
                    null));
        }
        return sink;
    }

    private static double nll(int[] tokens, float[] logits, int vocab, int chunk) {
        return likelihood(tokens, logits, vocab, chunk).nats();
    }

    /** Against upstream's own logits for the fixture documents (BOS + bytes + EOS). */
    @Test
    void matchesCrossEntropyOfUpstreamLogits() throws IOException {
        try (LMTransformer model = LMTransformer.build(Fixtures.weights("base"))) {
            JsonNode seqs = Fixtures.json("entropy_base.json").get("sequences");
            double nats = 0;
            double firstHalfNats = 0;
            long bytes = 0;
            long firstHalfBytes = 0;
            try (SafeTensorsFile st = Fixtures.tensors("entropy_base.safetensors")) {
                for (String name : List.of("short", "para")) {
                    int[] tokens = Fixtures.ints(st.readLongs("fixture." + name + ".tokens"));
                    float[] logits = st.readFloats("fixture." + name + ".logits");
                    nats += nll(tokens, logits, 260, 7);
                    int n = seqs.get(name).get("text").asText().getBytes(StandardCharsets.UTF_8).length;
                    bytes += n;
                    firstHalfBytes += n / 2;
                    // the first n / 2 bytes are targets 1 .. n / 2: the likelihood of that prefix alone
                    firstHalfNats += nll(Arrays.copyOf(tokens, n / 2 + 1), logits, 260, 7);
                }
            }
            BitsPerByte.Result r = BitsPerByte.evaluate(model, new ListSource(List.of(
                    seqs.get("short").get("text").asText(), seqs.get("para").get("text").asText())), 0);
            assertEquals(2, r.documents());
            assertEquals(bytes, r.bytes());
            assertEquals(bytes + 2, r.predictions());
            assertEquals(nats / Math.log(2) / bytes, r.bitsPerByte(), 1e-5);
            assertEquals(nats / (bytes + 2), r.loss(), 1e-5);
            assertEquals(firstHalfNats / Math.log(2) / firstHalfBytes, r.firstHalfBitsPerByte(), 1e-5);
            assertEquals((nats - firstHalfNats) / Math.log(2) / (bytes - firstHalfBytes), r.secondHalfBitsPerByte(),
                    1e-5);
        }
    }
}
