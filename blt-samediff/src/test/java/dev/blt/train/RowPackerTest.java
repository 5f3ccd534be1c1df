package dev.blt.train;

import dev.blt.model.TrainingBatch;
import dev.blt.train.data.RowPacker;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RowPackerTest {
    @Test
    void packsBosBytesEosAcrossRowsAndEpochs() throws IOException {
        // "ab" -> 1 101 102 2, "c" -> 1 103 2; stream: 1 101 102 2 1 103 2 | 1 101 102 2 1 103 2 | ...
        try (RowPacker p = new RowPacker(new ListSource(List.of("ab", "c")), 4, 1, 0)) {
            assertArrayEquals(new int[]{1, 101, 102, 2}, p.nextRow());
            TrainingBatch b = p.nextBatch(2);
            assertArrayEquals(new int[]{1, 103, 2, 1, 101, 102, 2, 1}, b.inputs());
            assertArrayEquals(new int[]{103, 2, 1, 0, 102, 2, 1, 0}, b.targets());
            assertArrayEquals(new float[]{1, 1, 1, 0, 1, 1, 1, 0}, b.mask());
            assertEquals(3, p.rowsDrawn());
            assertEquals(2, p.epoch()); // the buffer has packed one row ahead: tokens 12-15 start the third pass
        }
    }

    @Test
    void skipReplaysTheShuffle() throws IOException {
        List<String> docs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            docs.add("document number " + i);
        }
        List<int[]> straight = new ArrayList<>();
        try (RowPacker p = new RowPacker(new ListSource(docs), 16, 8, 5)) {
            for (int i = 0; i < 40; i++) {
                straight.add(p.nextRow());
            }
        }
        try (RowPacker p = new RowPacker(new ListSource(docs), 16, 8, 5)) {
            p.skip(25);
            for (int i = 25; i < 40; i++) {
                assertArrayEquals(straight.get(i), p.nextRow(), "row " + i);
            }
        }
        try (RowPacker unshuffled = new RowPacker(new ListSource(docs), 16, 1, 5)) {
            boolean differs = false;
            for (int i = 0; i < 40; i++) {
                differs |= !java.util.Arrays.equals(straight.get(i), unshuffled.nextRow());
            }
            assertNotEquals(false, differs, "the shuffle buffer changed nothing");
        }
    }

    @Test
    void emptySourceIsAnError() {
        RowPacker p = new RowPacker(new ListSource(List.of()), 4, 1, 0);
        assertThrows(IOException.class, p::nextRow);
    }
}
