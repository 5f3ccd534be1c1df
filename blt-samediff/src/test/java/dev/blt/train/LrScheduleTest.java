package dev.blt.train;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blt.model.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.Iterator;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LrScheduleTest {
    /** Upstream entropy_model.yaml: warmup 500, 100k steps, lr_min_ratio 0.1, cycle 1, theta 1. */
    @Test
    void cosineMatchesUpstreamFactors() {
        LrSchedule s = LrSchedule.cosine(500, 100_000, 0.1, 1.0, 1.0);
        JsonNode factors = Fixtures.json("train_base.json").get("lr_schedule_factors");
        int n = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = factors.fields(); it.hasNext(); n++) {
            Map.Entry<String, JsonNode> e = it.next();
            long step = Long.parseLong(e.getKey());
            assertEquals(e.getValue().asDouble(), s.factor(step), 1e-12, "factor(" + step + ")");
        }
        assertEquals(13, n);
    }

    @Test
    void handComputedPoints() {
        LrSchedule s = LrSchedule.cosine(10, 110, 0.0, 1.0, 1.0);
        assertEquals(0.0, s.factor(0));
        assertEquals(0.5, s.factor(5), 1e-15);
        assertEquals(0.5, s.factor(60), 1e-15); // half way down the cosine: 0.5 * (cos(pi/2) + 1)
        assertEquals(0.0, s.factor(111));
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.cosine(10, 10, 0.1, 1, 1));
    }
}
