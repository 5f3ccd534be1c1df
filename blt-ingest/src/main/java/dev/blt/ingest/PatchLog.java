package dev.blt.ingest;

import dev.blt.data.format.IngestFormat;
import dev.blt.data.io.AtomicFiles;
import dev.blt.data.io.OutputException;
import dev.blt.data.tensors.DType;
import dev.blt.data.tensors.SafeTensorsStream;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A document's per-patch scalars (start, length, max norm, mean entropy), spilled to a temporary file beside the
 * outputs as the patches end and copied into their tensors at the end: a long document of short patches has nearly
 * as many patches as positions, and a batch of such documents must not hold them all on the heap.
 */
final class PatchLog implements AutoCloseable {
    private static final int CHUNK = 1 << 14;

    private final Path file;
    private final DataOutputStream out;
    private long count;

    PatchLog(Path beside) throws IOException {
        this.file = AtomicFiles.tempFileBeside(beside);
        this.out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
    }

    void add(long start, long length, float maxNorm, float meanEntropy) throws IOException {
        try {
            out.writeLong(start);
            out.writeLong(length);
            out.writeFloat(maxNorm);
            out.writeFloat(meanEntropy);
        } catch (IOException e) {
            throw new OutputException(file, e);
        }
        count++;
    }

    long count() {
        return count;
    }

    /** The four per-patch tensors, in the order of {@link IngestFormat}'s patch scalars, one pass over the log each. */
    void writeTo(SafeTensorsStream target) throws IOException {
        out.flush();
        int n = Math.toIntExact(count);
        String[] names = {IngestFormat.PATCH_INDICES, IngestFormat.PATCH_LENGTHS, IngestFormat.PATCH_PROMINENCE,
                IngestFormat.PATCH_ENTROPIES};
        for (int field = 0; field < names.length; field++) {
            boolean floating = field >= 2;
            SafeTensorsStream.Tensor t = target.tensor(names[field], floating ? DType.F32 : DType.I64, n);
            long[] longs = new long[CHUNK];
            float[] floats = new float[CHUNK];
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
                for (int at = 0; at < n; at += CHUNK) {
                    int k = Math.min(CHUNK, n - at);
                    for (int i = 0; i < k; i++) {
                        long start = in.readLong();
                        long length = in.readLong();
                        float max = in.readFloat();
                        float entropy = in.readFloat();
                        longs[i] = field == 0 ? start : length;
                        floats[i] = field == 2 ? max : entropy;
                    }
                    if (floating) {
                        t.putFloats(at, floats, 0, k);
                    } else {
                        t.putLongs(at, longs, 0, k);
                    }
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        try {
            out.close();
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
