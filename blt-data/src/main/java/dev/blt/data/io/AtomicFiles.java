package dev.blt.data.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes a file so that readers see either nothing or the whole of it: temporary file, fsync, rename. */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Body of a write into an output stream. */
    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    public static void write(Path target, Body body) throws IOException {
        Path tmp = tempFileBeside(target);
        try {
            try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE);
                 OutputStream out = new java.io.BufferedOutputStream(java.nio.channels.Channels.newOutputStream(ch), 1 << 16)) {
                body.writeTo(out);
                out.flush();
                ch.force(true);
            } catch (OutputException e) {
                throw e;
            } catch (IOException e) {
                // the body's own read errors are not the output's: only failures of the write itself are wrapped
                if (isWriteFailure(e)) {
                    throw new OutputException(target, e);
                }
                throw e;
            }
            moveIntoPlace(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Whether {@code e} is the file system refusing a write (full disk, quota, permission, read-only). */
    public static boolean isWriteFailure(IOException e) {
        String m = String.valueOf(e.getMessage());
        return e instanceof java.nio.file.AccessDeniedException || m.contains("No space left") || m.contains("Disk quota") || m.contains("Read-only file system");
    }

    /** A new hidden temporary file in {@code target}'s directory (created if missing), readable as outputs are. */
    public static Path tempFileBeside(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        } catch (IOException e) {
            throw new OutputException(target, e);
        }
        if (tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            // createTempFile makes the file 0600; outputs are meant to be read by others, as a plain write would allow
            Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        }
        return tmp;
    }

    /** Renames a finished (synced) temporary file to {@code target}, atomically where the file system can. */
    public static void moveIntoPlace(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new OutputException(target, e);
        }
    }

    public static void writeString(Path target, String text) throws IOException {
        write(target, out -> out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
