package dev.blt.waterfill.io;

import dev.blt.data.format.IngestFormat;
import dev.blt.data.tensors.DType;
import dev.blt.data.tensors.SafeTensorsWriter;
import dev.blt.waterfill.config.InputLevel;
import dev.blt.waterfill.core.PointSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PointReaderTest {
    // 4 tokens of dim 2; token 1 and 3 are padding (prominence 0 and 1e-6, both dropped)
    private static final float[] EMB = {1, 2, 0, 0, 3, 4, 5, 6};
    private static final float[] PROM = {2.2f, 0, 5, 1e-6f};
    private static final float[] ENT = {0.5f, 9, 1.5f, 9};

    private static Path ingestFile(Path dir, DType dtype) throws IOException {
        Path f = dir.resolve("doc-" + dtype + ".safetensors");
        new SafeTensorsWriter()
                .addFloats(IngestFormat.EMBEDDINGS, EMB, dtype, 1, 4, 2)
                .addFloats(IngestFormat.PROMINENCE, PROM, 1, 4)
                .addFloats(IngestFormat.ENTROPIES, ENT, 1, 4)
                .addFloats(IngestFormat.PATCH_EMBEDDINGS, new float[] {7, 8, 9, 10, 11, 12}, 3, 2)
                .addFloats(IngestFormat.PATCH_PROMINENCE, new float[] {1, 2, 0}, 3)
                .addLongs(IngestFormat.PATCH_LENGTHS, new long[] {2, 1, 1}, 3)
                .write(f);
        return f;
    }

    @Test
    void tokenLevelFlattensAndDropsPaddingFromEveryArray(@TempDir Path dir) throws IOException {
        PointSet p = PointReader.read(ingestFile(dir, DType.F32), InputLevel.TOKEN);
        assertEquals(2, p.n());
        assertEquals(2, p.dim());
        assertArrayEquals(new float[] {1, 2, 3, 4}, p.embeddings());
        assertArrayEquals(new float[] {2.2f, 5}, p.prominence());
        assertArrayEquals(new float[] {0.5f, 1.5f}, p.entropies());
    }

    @Test
    void patchLevelAndHalfPrecision(@TempDir Path dir) throws IOException {
        PointSet patches = PointReader.read(ingestFile(dir, DType.F32), InputLevel.PATCH);
        assertEquals(2, patches.n());
        assertArrayEquals(new float[] {7, 8, 9, 10}, patches.embeddings());
        assertNull(patches.entropies());
        PointSet bf16 = PointReader.read(ingestFile(dir, DType.BF16), InputLevel.TOKEN);
        assertArrayEquals(new float[] {1, 2, 3, 4}, bf16.embeddings(), "small integers are exact in bf16");
    }

    @Test
    void npzInput(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("in.npz");
        new NpzWriter(true).addFloats(IngestFormat.EMBEDDINGS, EMB, 4, 2).addFloats(IngestFormat.PROMINENCE, PROM, 4)
                .write(f);
        PointSet p = PointReader.read(f, InputLevel.TOKEN);
        assertArrayEquals(new float[] {1, 2, 3, 4}, p.embeddings());
        assertNull(p.entropies());
    }

    @Test
    void problemsNameTheFile(@TempDir Path dir) throws IOException {
        Path tokens = dir.resolve("tokens.safetensors");
        new SafeTensorsWriter().addFloats(IngestFormat.EMBEDDINGS, EMB, 4, 2)
                .addFloats(IngestFormat.PROMINENCE, PROM, 4).write(tokens);
        IOException level = assertThrows(IOException.class, () -> PointReader.read(tokens, InputLevel.PATCH));
        assertEquals(tokens + ": no 'patch_embeddings' array for patch-level input (try --level token)", level.getMessage());

        Path mismatch = dir.resolve("mismatch.safetensors");
        new SafeTensorsWriter().addFloats(IngestFormat.EMBEDDINGS, EMB, 4, 2)
                .addFloats(IngestFormat.PROMINENCE, new float[] {1, 2, 3}, 3).write(mismatch);
        IOException m = assertThrows(IOException.class, () -> PointReader.read(mismatch, InputLevel.TOKEN));
        assertEquals(mismatch + ": 'prominence' has 3 values but 'embeddings' has 4 rows", m.getMessage());

        Path flat = dir.resolve("flat.npz");
        new NpzWriter(false).addFloats(IngestFormat.EMBEDDINGS, EMB, 8).addFloats(IngestFormat.PROMINENCE, PROM, 4)
                .write(flat);
        IOException rank = assertThrows(IOException.class, () -> PointReader.read(flat, InputLevel.TOKEN));
        assertTrue(rank.getMessage().startsWith(flat + ": 'embeddings' has shape [8]"), rank.getMessage());

        Path txt = dir.resolve("notes.txt");
        Files.writeString(txt, "x");
        IOException type = assertThrows(IOException.class, () -> PointReader.read(txt, InputLevel.TOKEN));
        assertTrue(type.getMessage().contains("unsupported file type"));
    }

    @Test
    void directoriesExpandToSortedInputFiles(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("b.npz"), "");
        Files.writeString(dir.resolve("a.safetensors"), "");
        Files.writeString(dir.resolve("c.json"), "");
        assertEquals(List.of(dir.resolve("a.safetensors"), dir.resolve("b.npz")), InputFiles.expand(List.of(dir)));
        assertEquals("sphere_doc.npz", InputFiles.outputName(Path.of("x/doc.safetensors")));
        IOException e = assertThrows(IOException.class, () -> InputFiles.expand(List.of(dir.resolve("nope"))));
        assertTrue(e.getMessage().contains("no such file or directory"));
    }
}
