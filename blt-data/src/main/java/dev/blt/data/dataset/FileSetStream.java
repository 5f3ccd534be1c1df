package dev.blt.data.dataset;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Reads the files of a {@link FileSetSource} in order, numbering every record (good or bad) with a global ordinal
 * and keeping those of its shard. Bad input goes through {@link #problem}: thrown, or reported and skipped.
 */
final class FileSetStream implements DocumentStream, Iterator<Document> {
    private final FileSetSource source;
    private final SourceOptions options;
    private final BufferAllocator allocator;
    private final boolean ownsAllocator;
    private int nextFile;
    private InputFile file;
    private FileRecords records;
    private long recordsInFile;
    private long ordinal;
    private Document next;
    private long skipped;
    private boolean iterated;
    private boolean closed;

    FileSetStream(FileSetSource source) {
        this.source = source;
        this.options = source.options();
        this.ownsAllocator = options.allocator() == null;
        this.allocator = ownsAllocator ? new RootAllocator() : options.allocator();
        this.ordinal = source.firstOrdinal();
    }

    /** How far {@link #fetch} moves the ordinal over {@code file}: the records before its end or a bad-file error. */
    static long records(InputFile file, SourceOptions options) {
        try (BufferAllocator own = options.allocator() == null ? new RootAllocator() : null) {
            FileRecords records;
            try {
                records = FileOpener.open(file, options, own != null ? own : options.allocator());
            } catch (BadFileException e) {
                return 0;
            }
            long n = 0;
            try (records) {
                while (true) {
                    try {
                        if (!records.advance()) {
                            break;
                        }
                        n++;
                    } catch (BadRowsException e) {
                        n += e.rows();
                    }
                }
            } catch (BadFileException e) {
                // the stream drops the rest of the file here too; the records before keep their ordinals
            }
            return n;
        }
    }

    @Override
    public Iterator<Document> iterator() {
        if (iterated) {
            throw new IllegalStateException("a DocumentStream can be iterated once; open the source again");
        }
        iterated = true;
        return this;
    }

    @Override
    public boolean hasNext() {
        if (next == null && !closed) {
            next = fetch();
        }
        return next != null;
    }

    @Override
    public Document next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Document d = next;
        next = null;
        return d;
    }

    @Override
    public long skipped() {
        return skipped;
    }

    private Document fetch() {
        while (ordinal < source.limit()) {
            if (records == null && !openNextFile()) {
                return null;
            }
            try {
                if (!records.advance()) {
                    if (recordsInFile == 0) {
                        problem(null, "empty: no documents", null);
                    }
                    closeFile();
                    continue;
                }
                recordsInFile++;
                long ord = ordinal++;
                if (ord % source.shardCount() == source.shardIndex()) {
                    return records.decode(ord);
                }
            } catch (BadRecordException e) {
                problem(e.position(), e.getMessage(), null);
            } catch (BadRowsException e) {
                // the lost records keep their ordinals; they belong to every shard, so each reports them
                recordsInFile += e.rows();
                ordinal += e.rows();
                problem(e.position(), e.getMessage(), e.getCause());
            } catch (BadFileException e) {
                closeFile();
                problem(null, e.getMessage(), e.getCause());
            }
        }
        closeFile();
        return null;
    }

    private boolean openNextFile() {
        while (nextFile < source.files().size()) {
            file = source.files().get(nextFile++);
            recordsInFile = 0;
            try {
                records = FileOpener.open(file, options, allocator);
                return true;
            } catch (BadFileException e) {
                problem(null, e.getMessage(), e.getCause());
            }
        }
        return false;
    }

    /** Throws under {@link OnError#FAIL} (keeping the library's exception as cause); otherwise counts and reports. */
    private void problem(String position, String message, Throwable cause) {
        BadInput bad = new BadInput(file.name(), position, message);
        if (options.onError() == OnError.FAIL) {
            close();
            throw new DatasetException(bad, cause);
        }
        skipped++;
        options.listener().skipped(bad);
    }

    private void closeFile() {
        if (records != null) {
            FileRecords r = records;
            records = null;
            r.close();
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        next = null;
        try {
            closeFile();
        } finally {
            if (ownsAllocator) {
                allocator.close();
            }
        }
    }
}
