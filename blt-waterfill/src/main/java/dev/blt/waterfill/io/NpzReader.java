package dev.blt.waterfill.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * An {@code .npz} archive: a zip of {@code <name>.npy} entries, stored ({@code np.savez}) or deflated
 * ({@code np.savez_compressed}); zip64 archives (over 4 GB) included.
 */
public final class NpzReader implements AutoCloseable {
    private final Path path;
    private final ZipFile zip;

    private NpzReader(Path path, ZipFile zip) {
        this.path = path;
        this.zip = zip;
    }

    public static NpzReader open(Path path) throws IOException {
        try {
            return new NpzReader(path, new ZipFile(path.toFile()));
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new IOException(path + ": file not found");
        } catch (ZipException e) {
            throw new IOException(path + ": not an .npz archive (" + e.getMessage() + ")");
        }
    }

    public Path path() {
        return path;
    }

    /** Array names (entry names without {@code .npy}), in archive order. */
    public List<String> names() {
        List<String> names = new ArrayList<>();
        for (ZipEntry e : Collections.list(zip.entries())) {
            if (!e.isDirectory() && e.getName().endsWith(".npy")) {
                names.add(e.getName().substring(0, e.getName().length() - 4));
            }
        }
        return names;
    }

    public boolean contains(String name) {
        return zip.getEntry(name + ".npy") != null;
    }

    public NpyHeader header(String name) throws IOException {
        try (InputStream in = stream(name)) {
            return NpyHeader.read(in, source(name));
        }
    }

    public float[] readFloats(String name) throws IOException {
        try (InputStream in = stream(name)) {
            return NpyReader.readFloats(NpyHeader.read(in, source(name)), in, source(name));
        }
    }

    public double[] readDoubles(String name) throws IOException {
        try (InputStream in = stream(name)) {
            return NpyReader.readDoubles(NpyHeader.read(in, source(name)), in, source(name));
        }
    }

    public String readString(String name) throws IOException {
        try (InputStream in = stream(name)) {
            return NpyReader.readString(NpyHeader.read(in, source(name)), in, source(name));
        }
    }

    /** The entry's stream positioned at its .npy magic; the caller closes it. */
    public InputStream stream(String name) throws IOException {
        ZipEntry e = zip.getEntry(name + ".npy");
        if (e == null) {
            throw new IOException(source(name) + ": no such array (arrays: " + names() + ")");
        }
        try {
            return new java.io.BufferedInputStream(zip.getInputStream(e), 1 << 16);
        } catch (ZipException ex) {
            throw new IOException(source(name) + ": cannot read entry: " + ex.getMessage());
        }
    }

    /** "file.npz: array 'x'" for messages. */
    public String source(String name) {
        return path + ": array '" + name + "'";
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }
}
