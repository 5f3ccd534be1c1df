package dev.blt.data.tensors;

import dev.blt.data.io.AtomicFiles;
import dev.blt.data.io.OutputException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@code .safetensors} file while its data is being computed, so that no tensor has to be in memory whole:
 * each tensor gets its byte range when it is declared (in declaration order, contiguous, as the format requires) and
 * is filled by positional writes; the last tensor declared may instead grow row by row while its row count is not
 * yet known. The header is written last, into room reserved before the data (padded with spaces, which the format
 * allows), and the file appears under its name only on {@link #commit()} (temporary file, fsync, rename). Closing
 * without committing deletes the temporary file. All sizes and offsets are longs: tensors may exceed 2^31 elements.
 * One writer per thread.
 */
public final class SafeTensorsStream implements AutoCloseable {
    /** Longest tensor name, so that the header's room can be reserved before the names are known. */
    public static final int MAX_NAME = 64;
    /** Header room per tensor: name, dtype, a shape of up to four dimensions and two offsets as 19-digit numbers. */
    private static final int ENTRY_BYTES = MAX_NAME + 220;
    private static final int BUFFER_BYTES = 1 << 16;

    private final Path target;
    private final Path tmp;
    private final FileChannel channel;
    private final Map<String, String> metadata;
    private final int maxTensors;
    private final long dataStart;
    private final List<Tensor> tensors = new ArrayList<>();
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private long end;
    private boolean finished;

    private SafeTensorsStream(Path target, Path tmp, FileChannel channel, Map<String, String> metadata, int maxTensors,
                              long dataStart) {
        this.target = target;
        this.tmp = tmp;
        this.channel = channel;
        this.metadata = metadata;
        this.maxTensors = maxTensors;
        this.dataStart = dataStart;
    }

    /** Opens a temporary file beside {@code target} for at most {@code maxTensors} tensors. */
    public static SafeTensorsStream create(Path target, Map<String, String> metadata, int maxTensors) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        long room = SafeTensorsHeader.JSON.writeValueAsBytes(meta).length * 2L + 64 + (long) maxTensors * ENTRY_BYTES;
        long dataStart = 8 + (room + 7) / 8 * 8;
        Path tmp = AtomicFiles.tempFileBeside(target);
        FileChannel ch = null;
        try {
            ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.READ);
            return new SafeTensorsStream(target, tmp, ch, meta, maxTensors, dataStart);
        } catch (IOException e) {
            if (ch != null) {
                ch.close();
            }
            Files.deleteIfExists(tmp);
            throw new OutputException(target, e);
        } catch (RuntimeException e) {
            if (ch != null) {
                ch.close();
            }
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    /** A tensor of known shape; its range follows the tensors declared before it. */
    public Tensor tensor(String name, DType dtype, long... shape) {
        return declare(name, dtype, shape.clone(), false);
    }

    /**
     * A tensor of shape [rows, width] whose rows are appended ({@link Tensor#appendRow}) until the next tensor is
     * declared or the file is committed; it must be the last tensor while it grows.
     */
    public Tensor rows(String name, DType dtype, long width) {
        return declare(name, dtype, new long[]{0, width}, true);
    }

    private Tensor declare(String name, DType dtype, long[] shape, boolean growing) {
        checkOpen();
        if (name.isEmpty() || name.length() > MAX_NAME || name.equals("__metadata__")
                || tensors.stream().anyMatch(t -> t.name.equals(name))) {
            throw new IllegalArgumentException("tensor name '" + name + "': empty, reserved, repeated or longer than "
                    + MAX_NAME + " characters");
        }
        if (tensors.size() == maxTensors || shape.length > 4) {
            throw new IllegalArgumentException("tensor '" + name + "': more than " + maxTensors
                    + " tensors or more than four dimensions");
        }
        seal();
        Tensor t = new Tensor(name, dtype, shape, end, growing);
        end += t.bytes();
        tensors.add(t);
        return t;
    }

    private void seal() {
        if (!tensors.isEmpty()) {
            tensors.get(tensors.size() - 1).growing = false;
        }
    }

    /** Writes the header, syncs and renames the file into place. */
    public void commit() throws IOException {
        checkOpen();
        seal();
        byte[] header = header();
        if (header.length > dataStart - 8) {
            throw new IllegalStateException("safetensors header of " + header.length + " bytes exceeds its room");
        }
        ByteBuffer head = ByteBuffer.allocate((int) dataStart).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(dataStart - 8).put(header);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        head.flip();
        writeFully(head, 0);
        try {
            channel.truncate(dataStart + end);
            channel.force(true);
            channel.close();
        } catch (IOException e) {
            throw new OutputException(target, e);
        }
        finished = true;
        AtomicFiles.moveIntoPlace(tmp, target);
    }

    private byte[] header() throws IOException {
        SafeTensorsHeader h = new SafeTensorsHeader(metadata);
        for (Tensor t : tensors) {
            h.tensor(t.name, t.dtype, t.shape, t.begin, t.begin + t.bytes());
        }
        return h.bytes();
    }

    /** Deletes the temporary file unless committed. */
    @Override
    public void close() throws IOException {
        if (finished) {
            return;
        }
        finished = true;
        try {
            channel.close();
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private void checkOpen() {
        if (finished) {
            throw new IllegalStateException(target + ": already committed or closed");
        }
    }

    private void writeFully(ByteBuffer b, long position) throws IOException {
        long p = position;
        try {
            while (b.hasRemaining()) {
                p += channel.write(b, p);
            }
        } catch (IOException e) {
            throw new OutputException(target, e);
        }
    }

    /** One tensor's byte range in the file. */
    public final class Tensor {
        private final String name;
        private final DType dtype;
        private final long[] shape;
        private final long begin;
        private boolean growing;

        private Tensor(String name, DType dtype, long[] shape, long begin, boolean growing) {
            this.name = name;
            this.dtype = dtype;
            this.shape = shape;
            this.begin = begin;
            this.growing = growing;
        }

        public long elements() {
            long n = 1;
            for (long d : shape) {
                n = Math.multiplyExact(n, d);
            }
            return n;
        }

        long bytes() {
            return Math.multiplyExact(elements(), dtype.bytes());
        }

        /** Byte offset of element {@code index} from the start of the file's data. */
        public long offsetOf(long index) {
            return begin + Math.multiplyExact(index, dtype.bytes());
        }

        /** Values {@code src[from, from + n)} as elements {@code [index, index + n)}, converted to the dtype. */
        public void putFloats(long index, float[] src, int from, int n) throws IOException {
            put(index, src, from, n);
        }

        public void putInts(long index, int[] src, int from, int n) throws IOException {
            put(index, src, from, n);
        }

        public void putLongs(long index, long[] src, int from, int n) throws IOException {
            put(index, src, from, n);
        }

        /** Appends one row of {@code shape[1]} values from {@code src[from...]} to a growing tensor. */
        public void appendRow(float[] src, int from) throws IOException {
            if (!growing) {
                throw new IllegalStateException("tensor '" + name + "' does not grow (any longer)");
            }
            long index = Math.multiplyExact(shape[0], shape[1]);
            shape[0]++;
            end += shape[1] * dtype.bytes();
            put(index, src, from, (int) shape[1]);
        }

        private void put(long index, Object src, int from, int n) throws IOException {
            checkOpen();
            if (index < 0 || n < 0 || index + n > elements()) {
                throw new IndexOutOfBoundsException("tensor '" + name + "' of " + elements() + " elements: cannot write ["
                        + index + ", " + (index + n) + ")");
            }
            long position = dataStart + offsetOf(index);
            int perBuffer = BUFFER_BYTES / dtype.bytes();
            for (int done = 0; done < n; ) {
                int k = Math.min(perBuffer, n - done);
                buffer.clear();
                TensorBytes.encode(src, from + done, k, dtype, buffer);
                buffer.flip();
                writeFully(buffer, position);
                position += (long) k * dtype.bytes();
                done += k;
            }
        }

        @Override
        public String toString() {
            return name + Arrays.toString(shape);
        }
    }
}
