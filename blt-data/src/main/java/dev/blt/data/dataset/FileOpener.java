package dev.blt.data.dataset;

import org.apache.arrow.memory.BufferAllocator;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Locale;

/** Chooses the reader for a file: the configured format, else by extension, else by magic bytes. */
final class FileOpener {
    private static final byte[] PARQUET_MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ARROW_MAGIC = "ARROW1".getBytes(StandardCharsets.US_ASCII);

    private FileOpener() {
    }

    static FileRecords open(InputFile file, SourceOptions options, BufferAllocator allocator) throws BadFileException {
        if (file.problem() != null) {
            throw new BadFileException(file.problem());
        }
        Format format = format(file, options);
        if (format == Format.FILES) {
            return new PlainFileRecords(file, options);
        }
        byte[] head = head(file);
        if (head.length == 0) {
            throw new BadFileException("empty file (0 bytes)");
        }
        switch (format) {
            case PARQUET:
                if (!startsWith(head, PARQUET_MAGIC)) {
                    throw new BadFileException("not a Parquet file (no PAR1 magic)");
                }
                return ArrowFiles.parquet(file, options, allocator);
            case ARROW:
                return ArrowFiles.ipc(file, options, allocator, startsWith(head, ARROW_MAGIC));
            case JSONL:
                return new JsonlRecords(file, options);
            default:
                throw new IllegalStateException("unhandled format " + format);
        }
    }

    /** The format {@code file} is read as: the one asked for, else by its name, else by its magic. */
    static Format format(InputFile file, SourceOptions options) throws BadFileException {
        Format format = options.format() == Format.AUTO ? byExtension(file) : options.format();
        return format == Format.AUTO ? byMagic(head(file)) : format;
    }

    /** The format its name says (compressed JSONL included), or {@link Format#AUTO} when the name says nothing. */
    static Format byExtension(InputFile file) {
        String name = file.path().getFileName().toString().toLowerCase(Locale.ROOT);
        String base = name.replaceFirst("\\.(gz|zst|zstd)$", "");
        if (base.endsWith(".jsonl") || base.endsWith(".ndjson")) {
            return Format.JSONL;
        }
        if (name.endsWith(".parquet") || name.endsWith(".pq")) {
            return Format.PARQUET;
        }
        if (name.endsWith(".arrow") || name.endsWith(".arrows") || name.endsWith(".ipc") || name.endsWith(".feather")) {
            return Format.ARROW;
        }
        return Format.AUTO;
    }

    /** Parquet or Arrow IPC file by their magic (e.g. {@code data_0} as Arrow Dataset names its output), else plain. */
    static Format byMagic(byte[] head) {
        if (startsWith(head, PARQUET_MAGIC)) {
            return Format.PARQUET;
        }
        return startsWith(head, ARROW_MAGIC) ? Format.ARROW : Format.FILES;
    }

    private static byte[] head(InputFile file) throws BadFileException {
        try (InputStream in = Files.newInputStream(file.path())) {
            return in.readNBytes(8);
        } catch (IOException e) {
            throw new BadFileException("cannot open: " + ArrowFiles.describe(e), e);
        }
    }

    private static boolean startsWith(byte[] head, byte[] magic) {
        return head.length >= magic.length && Arrays.equals(head, 0, magic.length, magic, 0, magic.length);
    }
}
