package dev.blt.data.torch;

import dev.blt.data.tensors.DType;
import dev.blt.data.tensors.HalfFloats;
import dev.blt.data.tensors.SafeTensorsFile;
import dev.blt.data.tensors.TensorFileException;
import dev.blt.data.tensors.TensorInfo;
import dev.blt.data.tensors.TensorSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TorchCheckpointTest {
    @TempDir
    Path dir;

    private static Path fixture(String name) {
        return Path.of(System.getProperty("blt.fixtures", "../fixtures/upstream"), name);
    }

    /** The fixture .pth files were written by torch.save; the .safetensors beside them hold the same weights. */
    @Test
    void float32FixtureHoldsExactlyTheSafetensorsWeights() throws IOException {
        try (TensorSource pth = TensorSource.open(fixture("entropy_base.consolidated.pth"));
             SafeTensorsFile st = SafeTensorsFile.open(fixture("entropy_base.safetensors"))) {
            assertInstanceOf(TorchCheckpoint.class, pth);
            assertEquals(modelNames(st), new TreeSet<>(pth.tensors().keySet()));
            for (TensorInfo t : pth.tensors().values()) {
                assertEquals(DType.F32, t.dtype(), t.name());
                assertArrayEquals(st.info(t.name()).shape(), t.shape(), t.name());
                assertArrayEquals(st.readFloats(t.name()), pth.readFloats(t.name()), t.name());
            }
            assertEquals(Map.of(), pth.metadata());
        }
    }

    @Test
    void bfloat16FixtureHoldsTheSafetensorsWeightsRounded() throws IOException {
        try (TensorSource pth = TensorSource.open(fixture("entropy_base.consolidated.bf16.pth"));
             SafeTensorsFile st = SafeTensorsFile.open(fixture("entropy_base.safetensors"))) {
            assertEquals(modelNames(st), new TreeSet<>(pth.tensors().keySet()));
            int inexact = 0;
            for (TensorInfo t : pth.tensors().values()) {
                assertEquals(DType.BF16, t.dtype(), t.name());
                assertArrayEquals(st.info(t.name()).shape(), t.shape(), t.name());
                float[] f32 = st.readFloats(t.name());
                float[] got = pth.readFloats(t.name());
                for (int i = 0; i < f32.length; i++) {
                    assertEquals(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(f32[i])), got[i], t.name() + "[" + i + "]");
                    inexact += f32[i] != got[i] ? 1 : 0;
                }
            }
            assertTrue(inexact > 1000, "bf16 values should differ from float32 ones: " + inexact);
        }
    }

    private static Set<String> modelNames(SafeTensorsFile st) {
        Set<String> names = new TreeSet<>(st.tensors().keySet());
        names.removeIf(n -> n.startsWith("fixture."));
        assertEquals(21, names.size());
        return names;
    }

    /** Views into one storage, a Parameter, float16, a plain top-level dict: values are the bytes written here. */
    @Test
    void readsViewsParametersAndAPlainStateDict() throws IOException {
        float[] storage = {0.5f, -1f, 2f, 3.25f, -4f, 5f, 6.5f, 7f};
        byte[] f16 = new byte[6];
        ByteBuffer hb = ByteBuffer.wrap(f16).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : new float[]{1.5f, -0.25f, 65504f}) {
            hb.putShort(HalfFloats.floatToF16(v));
        }
        byte[] pkl = PickleBytes.proto2().op('}', '(')
                .str("head").tensor("FloatStorage", "0", 8, 0, new long[]{2, 2}, new long[]{2, 1})
                .str("tail").global("torch._utils", "_rebuild_parameter").op('(')
                .tensor("FloatStorage", "0", 8, 5, new long[]{3, 1}, new long[]{1, 7}).op(0x88, '}', 't', 'R')
                .str("half").tensor("HalfStorage", "1", 3, 0, new long[]{3}, new long[]{1})
                .str("scalar").tensor("FloatStorage", "0", 8, 3, new long[]{}, new long[]{})
                .op('u').stop();
        Path p = checkpoint("views.pth", pkl, Map.of("0", floats(storage), "1", f16));
        try (TensorSource t = TensorSource.open(p)) {
            assertEquals(List.of("head", "tail", "half", "scalar"), List.copyOf(t.tensors().keySet()));
            assertArrayEquals(new float[]{0.5f, -1f, 2f, 3.25f}, t.readFloats("head"));
            assertArrayEquals(new long[]{3, 1}, t.info("tail").shape());
            assertArrayEquals(new float[]{5f, 6.5f, 7f}, t.readFloats("tail"));
            assertArrayEquals(new float[]{1.5f, -0.25f, 65504f}, t.readFloats("half"));
            assertArrayEquals(new float[]{3.25f}, t.readFloats("scalar"));
            assertEquals(DType.F16, t.info("half").dtype());
        }
    }

    @Test
    void opensEitherFormatByContentNotName() throws IOException {
        Path safetensorsNamedPth = dir.resolve("weights.pth");
        Files.copy(fixture("entropy_base.safetensors"), safetensorsNamedPth);
        try (TensorSource t = TensorSource.open(safetensorsNamedPth)) {
            assertInstanceOf(SafeTensorsFile.class, t);
        }
        assertRejected(dir.resolve("absent.pth"), "file not found");
    }

    @Test
    void rejectsTruncatedAndForeignFiles() throws IOException {
        byte[] good = Files.readAllBytes(fixture("entropy_base.consolidated.pth"));
        Path truncated = write("truncated.pth", Arrays.copyOf(good, good.length / 2));
        assertRejected(truncated, "not a readable zip archive", "truncated or corrupt");
        Path legacy = write("legacy.pth", new byte[]{(byte) 0x80, 2, (byte) 0x8a, 10, 0x6c, (byte) 0xfc, (byte) 0x9c});
        assertRejected(legacy, "legacy (PyTorch < 1.6, non-zip)");
        Path otherZip = dir.resolve("other.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(otherZip))) {
            z.putNextEntry(new ZipEntry("readme.txt"));
            z.write("hello".getBytes(StandardCharsets.UTF_8));
        }
        assertRejected(otherZip, "without <archive>/data.pkl");
    }

    @Test
    void rejectsMissingOrShortStorages() throws IOException {
        Path missing = rezip("missing.pth", "entropy_base.consolidated/data/3", null);
        assertRejected(missing, "tensor 'layers.0.attention.wv.weight'", "storage data/3 is missing");
        Path shorter = rezip("short.pth", "entropy_base.consolidated/data/0", new byte[100]);
        assertRejected(shorter, "tensor 'layers.0.attention.wk.weight'", "storage data/0 has 100 bytes");
        byte[] outside = PickleBytes.proto2().op('}').str("w")
                .tensor("FloatStorage", "0", 4, 2, new long[]{3}, new long[]{1}).op('s').stop();
        assertRejected(checkpoint("outside.pth", outside, Map.of("0", new byte[16])), "elements 2..5 lie outside");
    }

    @Test
    void rejectsForbiddenGlobalsAndNonTensors() throws IOException {
        byte[] exploit = PickleBytes.proto2().op('}').str("model").global("os", "system").str("echo pwned")
                .op(0x85, 'R', 's').stop();
        assertRejected(checkpoint("exploit.pth", exploit, Map.of()), "ckpt/data.pkl: byte 13:",
                "global 'os.system' is not allowed");
        byte[] notTensor = PickleBytes.proto2().op('}').str("model").op('}').str("step").binint(3).op('s', 's').stop();
        assertRejected(checkpoint("step.pth", notTensor, Map.of()), "tensor 'step': is a int, not a tensor");
        byte[] negative = PickleBytes.proto2().op('}').str("w")
                .tensor("FloatStorage", "0", 4, 0, new long[]{2, -2}, new long[]{1, 1}).op('s').stop();
        assertRejected(checkpoint("neg.pth", negative, Map.of("0", new byte[16])),
                "torch._utils._rebuild_tensor_v2: size[1] is -2, not a non-negative int");
        byte[] list = PickleBytes.proto2().op(']').stop();
        assertRejected(checkpoint("list.pth", list, Map.of()), "holds a list, not a state dict");
    }

    @Test
    void rejectsLayoutsItCannotReadAsRowMajor() throws IOException {
        byte[] transposed = PickleBytes.proto2().op('}').str("w")
                .tensor("FloatStorage", "0", 6, 0, new long[]{2, 3}, new long[]{1, 2}).op('s').stop();
        assertRejected(checkpoint("t.pth", transposed, Map.of("0", new byte[24])), "tensor 'w'",
                "not contiguous (shape [2, 3], stride [1, 2])");
        byte[] complex = PickleBytes.proto2().op('}').str("w")
                .tensor("ComplexFloatStorage", "0", 1, 0, new long[]{1}, new long[]{1}).op('s').stop();
        assertRejected(checkpoint("c.pth", complex, Map.of("0", new byte[8])), "'torch.ComplexFloatStorage' is not allowed");
        byte[] ints = PickleBytes.proto2().op('}').str("ids")
                .tensor("LongStorage", "0", 1, 0, new long[]{1}, new long[]{1}).op('s').stop();
        Path p = checkpoint("ids.pth", ints, Map.of("0", new byte[8]));
        try (TensorSource t = TensorSource.open(p)) {
            assertEquals(DType.I64, t.info("ids").dtype());
            TensorFileException e = assertThrows(TensorFileException.class, () -> t.readFloats("ids"));
            assertTrue(e.getMessage().contains("is I64, expected a floating type"), e.getMessage());
        }
        Path bigEndian = checkpoint("be.pth", ints, Map.of("0", new byte[8]), "big");
        assertRejected(bigEndian, "stored big-endian");
    }

    private void assertRejected(Path p, String... fragments) {
        TensorFileException e = assertThrows(TensorFileException.class, () -> TensorSource.open(p).close());
        assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "'" + f + "' not in: " + e.getMessage());
        }
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    /** A torch.save-shaped archive "ckpt/" with the given pickle and storages. */
    private Path checkpoint(String name, byte[] pkl, Map<String, byte[]> storages) throws IOException {
        return checkpoint(name, pkl, storages, "little");
    }

    private Path checkpoint(String name, byte[] pkl, Map<String, byte[]> storages, String byteorder) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("ckpt/data.pkl", pkl);
        entries.put("ckpt/byteorder", byteorder.getBytes(StandardCharsets.US_ASCII));
        storages.forEach((k, v) -> entries.put("ckpt/data/" + k, v));
        Path p = dir.resolve(name);
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(p))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
            }
        }
        return p;
    }

    /** The float32 fixture with one entry dropped (replacement null) or replaced. */
    private Path rezip(String name, String entry, byte[] replacement) throws IOException {
        Path p = dir.resolve(name);
        try (ZipFile in = new ZipFile(fixture("entropy_base.consolidated.pth").toFile());
             OutputStream os = Files.newOutputStream(p);
             ZipOutputStream out = new ZipOutputStream(os)) {
            for (Enumeration<? extends ZipEntry> it = in.entries(); it.hasMoreElements(); ) {
                ZipEntry e = it.nextElement();
                if (e.getName().equals(entry) && replacement == null) {
                    continue;
                }
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(e.getName().equals(entry) ? replacement : in.getInputStream(e).readAllBytes());
            }
        }
        return p;
    }

    private static byte[] floats(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }
}
