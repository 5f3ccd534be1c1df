package dev.blt.data.torch;

import dev.blt.data.tensors.TensorBytes;
import dev.blt.data.tensors.TensorFileException;
import dev.blt.data.tensors.TensorInfo;
import dev.blt.data.tensors.TensorSource;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The state dict of a PyTorch checkpoint written by {@code torch.save} (the zip format of torch 1.6 and later):
 * {@code <archive>/data.pkl} names the tensors, {@code <archive>/data/<key>} hold their raw little-endian storages.
 * The state dict is the pickle's {@code "model"} entry, as in upstream BLT's {@code consolidated.pth}, or the
 * pickle itself when it is a plain dict of tensors.
 *
 * <p>The pickle is read by a data-only unpickler that knows a fixed list of globals (see {@link TorchPickle}),
 * so opening an untrusted checkpoint runs no code. Every tensor is checked when the file is opened (storage
 * present and large enough, row-major contiguous layout), so a later read fails only on a corrupt archive.
 * {@link TensorInfo#begin()}/{@link TensorInfo#end()} are byte positions inside the tensor's storage entry.
 */
public final class TorchCheckpoint implements TensorSource {
    /** Bytes 0-3 of a pre-1.6 (non-zip) torch.save file: PROTO 2, then LONG1 of its 10-byte magic number. */
    private static final byte[] LEGACY_MAGIC = {(byte) 0x80, 0x02, (byte) 0x8a, 0x0a};
    private static final long MAX_READ = Integer.MAX_VALUE - 8;
    /** data.pkl takes about 100 bytes per tensor. */
    private static final int MAX_SMALL_ENTRY = 256 << 20;

    private final Path path;
    private final ZipFile zip;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, ZipEntry> storages;

    private TorchCheckpoint(Path path, ZipFile zip, Map<String, TensorInfo> tensors, Map<String, ZipEntry> storages) {
        this.path = path;
        this.zip = zip;
        this.tensors = tensors;
        this.storages = storages;
    }

    /** Whether a file's first bytes are those of a torch.save checkpoint: a zip archive, or the legacy format. */
    public static boolean recognizes(byte[] head) {
        return head.length >= 2 && head[0] == 'P' && head[1] == 'K'
                || head.length >= LEGACY_MAGIC.length && Arrays.equals(head, 0, LEGACY_MAGIC.length, LEGACY_MAGIC, 0,
                LEGACY_MAGIC.length);
    }

    public static TorchCheckpoint open(Path path) throws TensorFileException {
        byte[] head;
        try (InputStream in = Files.newInputStream(path)) {
            head = in.readNBytes(LEGACY_MAGIC.length);
        } catch (NoSuchFileException e) {
            throw new TensorFileException(path, "file not found");
        } catch (IOException e) {
            throw new TensorFileException(path, "cannot open: " + e.getMessage());
        }
        if (Arrays.equals(head, LEGACY_MAGIC)) {
            throw new TensorFileException(path, "a legacy (PyTorch < 1.6, non-zip) torch.save file, which is not "
                    + "supported; load and save it again with a current PyTorch");
        }
        ZipFile zip;
        try {
            zip = new ZipFile(path.toFile());
        } catch (IOException e) {
            throw new TensorFileException(path, "not a readable zip archive, so not a torch.save checkpoint "
                    + "(truncated or corrupt?): " + e.getMessage());
        }
        try {
            return read(path, zip);
        } catch (TensorFileException | RuntimeException e) {
            try {
                zip.close();
            } catch (IOException ignored) {
                // already failing with a better message
            }
            throw e;
        }
    }

    private static TorchCheckpoint read(Path path, ZipFile zip) throws TensorFileException {
        String archive = archiveName(path, zip);
        ZipEntry byteorder = zip.getEntry(archive + "byteorder");
        if (byteorder != null) {
            String order = new String(readEntry(path, zip, byteorder), StandardCharsets.US_ASCII).trim();
            if (!order.equals("little")) {
                throw new TensorFileException(path, "storages are stored " + order
                        + "-endian; only little-endian checkpoints are supported");
            }
        }
        Object root;
        try {
            root = TorchPickle.load(readEntry(path, zip, zip.getEntry(archive + "data.pkl")));
        } catch (PickleException e) {
            throw new TensorFileException(path, archive + "data.pkl: " + e.getMessage());
        }
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        Map<String, ZipEntry> storages = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : stateDict(path, root).entrySet()) {
            if (!(e.getKey() instanceof String)) {
                throw new TensorFileException(path, "state dict key " + Unpickler.describe(e.getKey())
                        + " is not a string");
            }
            String name = (String) e.getKey();
            if (!(e.getValue() instanceof StoredTensor)) {
                throw new TensorFileException(path, name, "is a " + Unpickler.describe(e.getValue())
                        + ", not a tensor");
            }
            StoredTensor t = (StoredTensor) e.getValue();
            ZipEntry entry = zip.getEntry(archive + "data/" + t.storage().key());
            tensors.put(name, checkLayout(path, name, t, entry));
            storages.put(name, entry);
        }
        return new TorchCheckpoint(path, zip, Collections.unmodifiableMap(tensors), storages);
    }

    /** The archive's root folder, as torch.save names it after the file: the prefix of its one data.pkl. */
    private static String archiveName(Path path, ZipFile zip) throws TensorFileException {
        List<String> found = new ArrayList<>();
        for (Enumeration<? extends ZipEntry> it = zip.entries(); it.hasMoreElements(); ) {
            String name = it.nextElement().getName();
            if (name.endsWith("/data.pkl") && name.indexOf('/') == name.length() - "/data.pkl".length()) {
                found.add(name.substring(0, name.length() - "data.pkl".length()));
            }
        }
        if (found.size() != 1) {
            throw new TensorFileException(path, found.isEmpty()
                    ? "a zip archive without <archive>/data.pkl, so not a torch.save checkpoint"
                    : "a zip archive with several data.pkl " + found + ", not one torch.save checkpoint");
        }
        return found.get(0);
    }

    /** The {@code "model"} entry if there is one (upstream's consolidated.pth), else the whole dict. */
    private static Map<?, ?> stateDict(Path path, Object root) throws TensorFileException {
        if (!(root instanceof Map)) {
            throw new TensorFileException(path, "the checkpoint holds a " + Unpickler.describe(root)
                    + ", not a state dict");
        }
        Object model = ((Map<?, ?>) root).get("model");
        return model instanceof Map ? (Map<?, ?>) model : (Map<?, ?>) root;
    }

    /** Checks that a tensor is a row-major block inside a storage that exists and is as large as declared. */
    private static TensorInfo checkLayout(Path path, String name, StoredTensor t, ZipEntry entry)
            throws TensorFileException {
        StorageRef s = t.storage();
        if (entry == null) {
            throw new TensorFileException(path, name, "its storage data/" + s.key() + " is missing from the archive");
        }
        int width = s.dtype().bytes();
        if (entry.getSize() < 0 || entry.getSize() / width < s.numel()) {
            throw new TensorFileException(path, name, "its storage data/" + s.key() + " has " + entry.getSize()
                    + " bytes, fewer than its " + s.numel() + " " + s.dtype() + " elements need");
        }
        long numel = 1;
        long expectedStride = 1;
        for (int i = t.shape().length - 1; i >= 0; i--) {
            // torch ignores the stride of a dimension of size 1 when it decides contiguity; so do we
            if (t.shape()[i] != 1 && t.stride()[i] != expectedStride) {
                throw new TensorFileException(path, name, "is not contiguous (shape " + Arrays.toString(t.shape())
                        + ", stride " + Arrays.toString(t.stride()) + "); save it after .contiguous()");
            }
            try {
                numel = Math.multiplyExact(numel, t.shape()[i]);
                expectedStride = numel;
            } catch (ArithmeticException e) {
                throw new TensorFileException(path, name, "shape " + Arrays.toString(t.shape()) + " overflows");
            }
        }
        if (numel > s.numel() - t.offset()) {
            throw new TensorFileException(path, name, "elements " + t.offset() + ".." + (t.offset() + numel)
                    + " lie outside its storage of " + s.numel());
        }
        long begin = t.offset() * width;
        return new TensorInfo(name, s.dtype(), t.shape(), begin, begin + numel * width);
    }

    /** A small entry (data.pkl, byteorder), read whole; the cap guards against a compressed entry that explodes. */
    private static byte[] readEntry(Path path, ZipFile zip, ZipEntry entry) throws TensorFileException {
        byte[] bytes;
        try (InputStream in = zip.getInputStream(entry)) {
            bytes = in.readNBytes(MAX_SMALL_ENTRY + 1);
        } catch (IOException e) {
            throw new TensorFileException(path, "cannot read " + entry.getName() + ": " + e.getMessage());
        }
        if (bytes.length > MAX_SMALL_ENTRY) {
            throw new TensorFileException(path, entry.getName() + " is larger than " + (MAX_SMALL_ENTRY >> 20)
                    + " MiB, far more than a state dict's pickle needs");
        }
        return bytes;
    }

    @Override
    public String format() {
        return "PyTorch torch.save checkpoint (zip)";
    }

    @Override
    public Path path() {
        return path;
    }

    /** Tensor entries in state-dict order. */
    @Override
    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    @Override
    public float[] readFloats(String name) throws TensorFileException {
        TensorInfo t = floatingInfo(name);
        long len = t.end() - t.begin();
        if (len > MAX_READ) {
            throw new TensorFileException(path, name, "is larger than 2 GiB, too large for one Java array");
        }
        ZipEntry entry = storages.get(name);
        byte[] bytes = new byte[(int) len];
        try (InputStream in = zip.getInputStream(entry)) {
            in.skipNBytes(t.begin());
            // one read into the final array: a stored entry then costs a single positioned file read
            if (in.readNBytes(bytes, 0, bytes.length) != len) {
                throw new EOFException();
            }
        } catch (EOFException e) {
            throw new TensorFileException(path, name, "truncated storage " + entry.getName());
        } catch (IOException e) {
            throw new TensorFileException(path, name, "cannot read " + entry.getName() + ": " + e.getMessage());
        }
        ByteBuffer data = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        return TensorBytes.toFloats(data, t.dtype(), (int) t.numel());
    }

    /** A torch.save checkpoint carries no string metadata. */
    @Override
    public Map<String, String> metadata() {
        return Map.of();
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }
}
