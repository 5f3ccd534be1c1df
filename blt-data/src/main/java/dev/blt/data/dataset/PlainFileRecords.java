package dev.blt.data.dataset;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * A file that is one document of raw bytes (any modality); it is read only by the shard that owns it. A file longer
 * than {@link SourceOptions#partBytes()} whose beginning is text is read as parts, one record each, never whole:
 * each part ends after the last line break (else space, else whole UTF-8 character) before the limit, so that
 * words and characters stay whole. Other files are read whole up to {@link SourceOptions#maxDocumentBytes()}:
 * their pre-tokenizers (images, PDF, audio, archives, executables) need the whole file.
 */
final class PlainFileRecords implements FileRecords {
    /** Smallest part size: room enough to find a line break to cut at. */
    static final int MIN_PART_BYTES = 4096;
    /** How much of a file's beginning decides whether it is text. */
    private static final int HEAD_BYTES = 1 << 16;
    /** How far back from the limit a part's end looks for a line break or space. */
    private static final int CUT_SEARCH = 4096;

    private final InputFile file;
    private final SourceOptions options;
    private long size = -1;
    private boolean inParts;
    private int index = -1;
    private long start;
    private long end;

    PlainFileRecords(InputFile file, SourceOptions options) {
        this.file = file;
        this.options = options;
    }

    @Override
    public boolean advance() throws BadFileException {
        try {
            if (size < 0) {
                size = Files.size(file.path());
                inParts = size > options.partBytes() && looksLikeText(read(0, (int) Math.min(size, HEAD_BYTES)));
                end = 0;
            } else if (!inParts || end >= size) {
                return false;
            }
            index++;
            start = end;
            end = inParts ? cut(start) : size;
            return true;
        } catch (IOException e) {
            throw new BadFileException("cannot read: " + ArrowFiles.describe(e), e);
        }
    }

    @Override
    public Document decode(long ordinal) throws BadFileException, BadRecordException {
        if (size == 0) {
            throw new BadRecordException(null, "empty file (0 bytes)");
        }
        if (!inParts && size > options.maxDocumentBytes()) {
            throw new BadRecordException(null, size + " bytes, more than the maximum " + options.maxDocumentBytes()
                    + " for a file read whole (only text files longer than a part are read in parts)");
        }
        byte[] bytes;
        try {
            bytes = read(start, (int) (end - start));
        } catch (IOException e) {
            throw new BadFileException("cannot read: " + ArrowFiles.describe(e), e);
        }
        if (!inParts) {
            return new Document(file.idBase(), file.name(), 0, ordinal, bytes, null, Map.of());
        }
        return new Document(file.idBase() + "#part" + index, file.name(), index, ordinal, bytes, null, Map.of(),
                new Document.Part(file.idBase(), index, start));
    }

    /** Where the part starting at {@code from} ends: see the class comment. */
    private long cut(long from) throws IOException {
        long limit = from + options.partBytes();
        if (limit >= size) {
            return size;
        }
        byte[] tail = read(limit - CUT_SEARCH, CUT_SEARCH + 1);
        int at = lastIndexOf(tail, (byte) '\n');
        if (at < 0) {
            at = lastIndexOf(tail, (byte) ' ');
        }
        if (at >= 0) {
            return limit - CUT_SEARCH + at + 1;
        }
        // no break: end before the last character that starts at or before the limit
        for (int i = CUT_SEARCH; i > 0; i--) {
            if ((tail[i] & 0xC0) != 0x80) {
                return limit - CUT_SEARCH + i;
            }
        }
        return limit;
    }

    /** The last index of {@code b} among the first {@code tail.length - 1} bytes (the byte at the limit is the next part's). */
    private static int lastIndexOf(byte[] tail, byte b) {
        for (int i = tail.length - 2; i >= 0; i--) {
            if (tail[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** No NUL byte and valid UTF-8, a character cut at the end of the sample allowed. */
    static boolean looksLikeText(byte[] head) {
        int i = 0;
        while (i < head.length) {
            int b = head[i] & 0xff;
            if (b == 0) {
                return false;
            }
            int extra = b < 0x80 ? 0 : b >= 0xC2 && b < 0xE0 ? 1 : b >= 0xE0 && b < 0xF0 ? 2 : b >= 0xF0 && b < 0xF5 ? 3 : -1;
            if (extra < 0) {
                return false;
            }
            for (int k = 1; k <= extra; k++) {
                if (i + k >= head.length) {
                    return true;
                }
                if ((head[i + k] & 0xC0) != 0x80) {
                    return false;
                }
            }
            i += extra + 1;
        }
        return true;
    }

    private byte[] read(long position, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        try (FileChannel ch = FileChannel.open(file.path(), StandardOpenOption.READ)) {
            while (buf.hasRemaining()) {
                if (ch.read(buf, position + buf.position()) < 0) {
                    throw new IOException("the file shrank while being read");
                }
            }
        }
        return buf.array();
    }

    @Override
    public void close() {
        // nothing held open: each read opens the file
    }
}
