package dev.blt.data.tensors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafeTensorsStreamTest {
    @TempDir
    Path dir;

    private List<Path> files() throws IOException {
        try (var s = Files.list(dir)) {
            return s.toList();
        }
    }

    /** Tensors filled out of order and a tensor that grows row by row read back as the writer meant them. */
    @Test
    void tensorsWrittenInPiecesReadBackWhole() throws IOException {
        Path target = dir.resolve("x.safetensors");
        try (SafeTensorsStream w = SafeTensorsStream.create(target, Map.of("k", "v"), 8)) {
            SafeTensorsStream.Tensor a = w.tensor("a", DType.F32, 2, 3);
            SafeTensorsStream.Tensor ids = w.tensor("ids", DType.I32, 4);
            SafeTensorsStream.Tensor rows = w.rows("rows", DType.BF16, 2);
            a.putFloats(3, new float[]{9, 4, 5, 6}, 1, 3);
            a.putFloats(0, new float[]{1, 2, 3}, 0, 3);
            ids.putInts(0, new int[]{7, 8, 9, 10}, 0, 4);
            rows.appendRow(new float[]{0.5f, -2f}, 0);
            rows.appendRow(new float[]{0, 0, 3f, 1.25f}, 2);
            w.tensor("after", DType.I64, 2).putLongs(0, new long[]{Long.MAX_VALUE, -1}, 0, 2);
            assertThrows(IllegalStateException.class, () -> rows.appendRow(new float[2], 0), "sealed by the next tensor");
            assertFalse(Files.exists(target), "not visible before commit");
            w.commit();
        }
        assertEquals(List.of(target), files(), "no temporary file left");
        try (SafeTensorsFile f = SafeTensorsFile.open(target)) {
            assertEquals("v", f.metadata().get("k"));
            assertArrayEquals(new float[]{1, 2, 3, 4, 5, 6}, f.readFloats("a"));
            assertArrayEquals(new long[]{7, 8, 9, 10}, f.readLongs("ids"));
            assertArrayEquals(new long[]{2, 2}, f.info("rows").shape());
            assertArrayEquals(new float[]{0.5f, -2f, 3f, 1.25f}, f.readFloats("rows"));
            assertArrayEquals(new long[]{Long.MAX_VALUE, -1}, f.readLongs("after"));
        }
    }

    @Test
    void closingWithoutCommitLeavesNothing() throws IOException {
        Path target = dir.resolve("y.safetensors");
        try (SafeTensorsStream w = SafeTensorsStream.create(target, Map.of(), 2)) {
            w.tensor("a", DType.F32, 4).putFloats(0, new float[]{1, 2}, 0, 2);
        }
        assertEquals(List.of(), files());
    }

    @Test
    void writesOutsideATensorAndTooManyTensorsAreRefused() throws IOException {
        try (SafeTensorsStream w = SafeTensorsStream.create(dir.resolve("z.safetensors"), Map.of(), 1)) {
            SafeTensorsStream.Tensor a = w.tensor("a", DType.F32, 4);
            assertThrows(IndexOutOfBoundsException.class, () -> a.putFloats(3, new float[2], 0, 2));
            assertThrows(IllegalArgumentException.class, () -> w.tensor("b", DType.F32, 1));
        }
    }

    /**
     * Offsets past 2^31 elements and 2^32 bytes: a value written at element 2^31 + 5 of a 3e9-element tensor lands
     * at byte 4 * (2^31 + 5) of its range. Only that value is written: the file is sparse and is never committed.
     */
    @Test
    void offsetsBeyondTwoToTheThirtyOneElementsAreExact() throws IOException {
        Path target = dir.resolve("big.safetensors");
        long index = (1L << 31) + 5;
        try (SafeTensorsStream w = SafeTensorsStream.create(target, Map.of(), 2)) {
            w.tensor("small", DType.F32, 3);
            SafeTensorsStream.Tensor big = w.tensor("big", DType.F32, 3_000_000_000L);
            assertEquals(3_000_000_000L, big.elements());
            assertEquals(12 + 4 * index, big.offsetOf(index));
            big.putFloats(index, new float[]{42.5f}, 0, 1);
            assertThrows(IndexOutOfBoundsException.class, () -> big.putFloats(3_000_000_000L, new float[1], 0, 1));
            Path tmp = files().get(0);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.READ)) {
                long dataStart = ch.size() - (12 + 4 * index + 4);
                assertTrue(dataStart > 8 && dataStart % 8 == 0, "header room before the data: " + dataStart);
                ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
                ch.read(b, dataStart + 12 + 4 * index);
                assertEquals(42.5f, b.getFloat(0));
            }
        }
        assertEquals(List.of(), files());
    }
}
