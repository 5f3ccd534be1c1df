package dev.blt.waterfill.io;

import dev.blt.waterfill.testing.Python;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class NpzTest {

    @Test
    void headerLayoutFollowsTheNpyFormat() {
        byte[] h = new NpyHeader(NpyType.F32, false, new long[] {3, 4}).encode();
        assertEquals(0, h.length % 64);
        assertEquals((byte) 0x93, h[0]);
        assertEquals("NUMPY", new String(h, 1, 5, StandardCharsets.ISO_8859_1));
        assertEquals(1, h[6]);
        int len = ByteBuffer.wrap(h, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort();
        assertEquals(h.length - 10, len);
        String dict = new String(h, 10, len, StandardCharsets.ISO_8859_1);
        assertTrue(dict.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }"), dict);
        assertTrue(dict.endsWith("\n"));
        String one = new String(new NpyHeader(NpyType.I32, false, new long[] {5}).encode(), StandardCharsets.ISO_8859_1);
        assertTrue(one.contains("'shape': (5,)"), "1-d tuples need the trailing comma");
        String scalar = new String(new NpyHeader(NpyType.unicode(3), false, new long[0]).encode(), StandardCharsets.ISO_8859_1);
        assertTrue(scalar.contains("'descr': '<U3'") && scalar.contains("'shape': ()"));
    }

    @Test
    void javaRoundTripStoredAndDeflated(@TempDir Path dir) throws IOException {
        for (boolean compress : new boolean[] {false, true}) {
            Path f = dir.resolve("rt" + compress + ".npz");
            float[] a = {1.5f, -2, 3, Float.MIN_VALUE, 1e30f, -0f};
            new NpzWriter(compress).addFloats("a", a, 2, 3).addInts("i", new int[] {7, -8, Integer.MAX_VALUE}, 3)
                    .addDoubles("d", new double[] {Math.PI}, 1).addString("s", "{\"ä\": \"😀\"}")
                    .addFloats("empty", new float[0], 0, 5).write(f);
            try (NpzReader r = NpzReader.open(f)) {
                assertEquals(java.util.List.of("a", "i", "d", "s", "empty"), r.names());
                assertArrayEquals(a, r.readFloats("a"));
                assertArrayEquals(new long[] {2, 3}, r.header("a").shape());
                assertEquals("int32", r.header("i").type().name());
                assertArrayEquals(new double[] {7, -8, Integer.MAX_VALUE}, r.readDoubles("i"));
                assertArrayEquals(new double[] {Math.PI}, r.readDoubles("d"));
                assertEquals("{\"ä\": \"😀\"}", r.readString("s"));
                assertEquals(0, r.readFloats("empty").length);
            }
        }
    }

    private static byte[] npy(String descr, boolean fortran, String shape, byte[] data) throws IOException {
        String dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': " + shape + ", }";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        out.write(ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) (dict.length() + 1)).array());
        out.write((dict + "\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(data);
        return out.toByteArray();
    }

    private static double[] read(byte[] file) throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(file);
        return NpyReader.readDoubles(NpyHeader.read(in, "x.npy"), in, "x.npy");
    }

    @Test
    void decodesOtherDtypesByteOrdersAndFortranOrder() throws IOException {
        // big-endian float64, Fortran order, shape (2, 3): the file holds columns [1 4] [2 5] [3 6]
        ByteBuffer be = ByteBuffer.allocate(48).order(ByteOrder.BIG_ENDIAN);
        for (double v : new double[] {1, 4, 2, 5, 3, 6}) {
            be.putDouble(v);
        }
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, read(npy(">f8", true, "(2, 3)", be.array())));
        // float16: 1.0 = 0x3C00, -2.0 = 0xC000
        assertArrayEquals(new double[] {1, -2}, read(npy("<f2", false, "(2,)", new byte[] {0, 0x3C, 0, (byte) 0xC0})));
        assertArrayEquals(new double[] {255, 1}, read(npy("|u1", false, "(2,)", new byte[] {(byte) 255, 1})));
        assertArrayEquals(new double[] {1, 0}, read(npy("|b1", false, "(2,)", new byte[] {1, 0})));
        ByteBuffer i8 = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(-5);
        assertArrayEquals(new double[] {-5}, read(npy("<i8", false, "(1,)", i8.array())));
    }

    @Test
    void badInputsNameTheSourceAndTheProblem(@TempDir Path dir) throws IOException {
        IOException magic = assertThrows(IOException.class, () -> read("not numpy at all".getBytes(StandardCharsets.UTF_8)));
        assertTrue(magic.getMessage().startsWith("x.npy: not an .npy"), magic.getMessage());
        IOException shortData = assertThrows(IOException.class, () -> read(npy("<f4", false, "(4,)", new byte[6])));
        assertTrue(shortData.getMessage().contains("truncated .npy data: 6 of 16 bytes"), shortData.getMessage());
        IOException dtype = assertThrows(IOException.class, () -> read(npy("<c8", false, "(1,)", new byte[8])));
        assertTrue(dtype.getMessage().contains("unsupported dtype '<c8'"), dtype.getMessage());

        Path notZip = dir.resolve("x.npz");
        Files.writeString(notZip, "hello");
        IOException zip = assertThrows(IOException.class, () -> NpzReader.open(notZip));
        assertTrue(zip.getMessage().startsWith(notZip + ": not an .npz"), zip.getMessage());
        Path ok = dir.resolve("ok.npz");
        new NpzWriter(false).addInts("a", new int[] {1}, 1).write(ok);
        try (NpzReader r = NpzReader.open(ok)) {
            IOException missing = assertThrows(IOException.class, () -> r.readFloats("b"));
            assertTrue(missing.getMessage().contains("array 'b': no such array (arrays: [a])"), missing.getMessage());
        }
    }

    @Test
    void readsDeflatedEntriesWrittenByAnotherZipWriter(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("deflated.npz");
        ByteBuffer data = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putFloat(1).putFloat(2).putFloat(3);
        try (OutputStream raw = Files.newOutputStream(f); ZipOutputStream z = new ZipOutputStream(raw)) {
            z.putNextEntry(new ZipEntry("v.npy"));
            z.write(npy("<f4", false, "(3,)", data.array()));
            z.closeEntry();
        }
        try (NpzReader r = NpzReader.open(f)) {
            assertArrayEquals(new float[] {1, 2, 3}, r.readFloats("v"));
        }
    }

    @Test
    void numpyReadsWhatJavaWrites(@TempDir Path dir) throws IOException {
        assumeTrue(Python.hasNumpy(), "python3 with numpy not available");
        for (boolean compress : new boolean[] {false, true}) {
            Path f = dir.resolve("j" + compress + ".npz");
            float[] a = new float[6];
            for (int i = 0; i < 6; i++) {
                a[i] = i * 0.25f - 1;
            }
            new NpzWriter(compress).addFloats("a", a, 2, 3).addInts("s", new int[] {3, 1, 2}, 3)
                    .addDoubles("d", new double[] {0.1, 0.2}, 2).addString("c", "{\"k\": 1}").write(f);
            Python.Result r = Python.run("""
                    import sys, numpy as np, json
                    z = np.load(sys.argv[1])
                    a, s, d = z['a'], z['s'], z['d']
                    assert a.dtype == np.float32 and a.shape == (2, 3), (a.dtype, a.shape)
                    assert (a == (np.arange(6, dtype=np.float32) * 0.25 - 1).reshape(2, 3)).all()
                    assert s.dtype == np.int32 and s.tolist() == [3, 1, 2]
                    assert d.dtype == np.float64 and d.tolist() == [0.1, 0.2]
                    assert json.loads(str(z['c'])) == {'k': 1}
                    print('ok')
                    """, f.toString());
            assertEquals("ok", r.out(), r.out());
        }
    }

    @Test
    void javaReadsWhatNumpyWrites(@TempDir Path dir) throws IOException {
        assumeTrue(Python.hasNumpy(), "python3 with numpy not available");
        Path stored = dir.resolve("stored.npz");
        Path deflated = dir.resolve("deflated.npz");
        Python.Result r = Python.run("""
                import sys, numpy as np
                arrays = dict(
                    f64f=np.asfortranarray(np.arange(12, dtype=np.float64).reshape(3, 4) / 8),
                    be=np.arange(5, dtype='>f4') - 2,
                    half=np.array([0.5, -3, 65504], dtype=np.float16),
                    i64=np.array([-(2**40), 7], dtype=np.int64),
                    flags=np.array([True, False, True]),
                    text=np.array('hello'))
                np.savez(sys.argv[1], **arrays)
                np.savez_compressed(sys.argv[2], **arrays)
                print('written')
                """, stored.toString(), deflated.toString());
        assertEquals("written", r.out(), r.out());
        for (Path f : new Path[] {stored, deflated}) {
            try (NpzReader z = NpzReader.open(f)) {
                double[] expected = new double[12];
                for (int i = 0; i < 12; i++) {
                    expected[i] = i / 8.0;
                }
                assertArrayEquals(expected, z.readDoubles("f64f"), "Fortran order comes back row-major");
                assertArrayEquals(new long[] {3, 4}, z.header("f64f").shape());
                assertArrayEquals(new float[] {-2, -1, 0, 1, 2}, z.readFloats("be"));
                assertArrayEquals(new float[] {0.5f, -3, 65504}, z.readFloats("half"));
                assertArrayEquals(new double[] {-(double) (1L << 40), 7}, z.readDoubles("i64"));
                assertArrayEquals(new double[] {1, 0, 1}, z.readDoubles("flags"));
                assertEquals("hello", z.readString("text"));
            }
        }
    }
}
