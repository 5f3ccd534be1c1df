package dev.blt.data.tensors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafeTensorsTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsAllWrittenTypes() throws IOException {
        float[] f = {1.5f, -2.25f, 3.0e-3f, 7f, 0f, -0f};
        Path p = dir.resolve("t.safetensors");
        new SafeTensorsWriter()
                .metadata("format", "pt")
                .addFloats("a.f32", f, 2, 3)
                .addFloats("a.bf16", f, DType.BF16, 6)
                .addFloats("a.f16", f, DType.F16, 3, 2)
                .addLongs("ids", new long[]{1, -5, 1L << 40}, 3)
                .addInts("i32", new int[]{7, 8}, 2)
                .addFloats("empty", new float[0], 0, 4)
                .write(p);
        try (SafeTensorsFile st = SafeTensorsFile.open(p)) {
            assertEquals("pt", st.metadata().get("format"));
            assertArrayEquals(f, st.readFloats("a.f32"));
            assertArrayEquals(new long[]{2, 3}, st.info("a.f32").shape());
            float[] bf = st.readFloats("a.bf16");
            float[] hf = st.readFloats("a.f16");
            for (int i = 0; i < f.length; i++) {
                assertEquals(f[i], bf[i], Math.abs(f[i]) / 128);
                assertEquals(f[i], hf[i], Math.abs(f[i]) / 1024);
            }
            assertArrayEquals(new long[]{1, -5, 1L << 40}, st.readLongs("ids"));
            assertArrayEquals(new long[]{7, 8}, st.readLongs("i32"));
            assertEquals(0, st.readFloats("empty").length);
            assertEquals(Arrays.asList("a.f32", "a.bf16", "a.f16", "ids", "i32", "empty"),
                    st.tensors().keySet().stream().toList());
        }
        // header is padded to 8 bytes as the format asks
        long headerLen = ByteBuffer.wrap(Files.readAllBytes(p), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLen % 8);
    }

    @Test
    void readsUpstreamFixture() throws IOException {
        Path fixture = Path.of(System.getProperty("blt.fixtures", "../fixtures/upstream"),
                "entropy_base.safetensors");
        try (SafeTensorsFile st = SafeTensorsFile.open(fixture)) {
            assertArrayEquals(new long[]{260, 64}, st.info("tok_embeddings.weight").shape());
            assertArrayEquals(new long[]{1, 76, 105, 112, 112, 115, 48, 36, 123, 115, 118, 112, 104, 37, 2},
                    st.readLongs("fixture.short.tokens"));
            assertEquals(DType.F32, st.info("norm.weight").dtype());
        }
    }

    private Path raw(String name, long headerLen, String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(headerLen).put(h);
        Path p = dir.resolve(name);
        Files.write(p, b.array());
        return p;
    }

    private void assertFails(Path p, String... fragments) {
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> SafeTensorsFile.open(p).close());
        assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "'" + f + "' not in: " + e.getMessage());
        }
    }

    @Test
    void rejectsBadFilesWithClearMessages() throws IOException {
        String ok = "{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        assertFails(dir.resolve("missing.safetensors"), "not found");
        Path tiny = dir.resolve("tiny");
        Files.write(tiny, new byte[]{1, 2, 3});
        assertFails(tiny, "truncated");
        assertFails(raw("huge", 1L << 40, ok, 8), "header length");
        assertFails(raw("short-header", ok.length() + 100, ok, 0), "truncated");
        assertFails(raw("json", 5, "{\"x\":", 8), "malformed JSON");
        assertFails(raw("trunc-data", ok.length(), ok, 4), "'x'", "truncated");
        assertFails(raw("shape", ok.length(), ok.replace("[2]", "[3]"), 8), "'x'", "does not fit shape");
        assertFails(raw("dtype", ok.length(), ok.replace("F32", "Q7"), 8), "'x'", "dtype");
        String two = "{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"y\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}";
        assertFails(raw("overlap", two.length(), two, 8), "overlaps");
    }

    @Test
    void readingWrongKindIsAnError() throws IOException {
        Path p = dir.resolve("k.safetensors");
        new SafeTensorsWriter().addLongs("ids", new long[]{1}, 1).write(p);
        try (SafeTensorsFile st = SafeTensorsFile.open(p)) {
            SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> st.readFloats("ids"));
            assertTrue(e.getMessage().contains("'ids'"));
            assertThrows(SafeTensorsException.class, () -> st.readFloats("nope"));
        }
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }
}
