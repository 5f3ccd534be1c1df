package dev.blt.data.dataset;

import org.apache.arrow.memory.BufferAllocator;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The rows of a Parquet file, such that a damaged row group costs only its own rows. The file is scanned whole
 * while it reads well. Once a batch fails, the rest is scanned row group by row group, starting with the group of
 * the first row not yet read (the scanner reads ahead, so the failure may come from a later group): a group that
 * fails alone loses its rows, reported as {@code row group N} ({@link BadRowsException}). Arrow Java cannot pick
 * row groups of a file, so each group is scanned from a sparse temporary copy holding the group's column chunks at
 * their offsets, the file's page indexes, and a footer listing that group only: disk, not heap, one group at a
 * time, and only after damage.
 */
final class ParquetRecords implements FileRecords {
    private final InputFile file;
    private final SourceOptions options;
    private final BufferAllocator allocator;
    private final ArrowColumns columns;
    private ArrowBatchRecords part;
    private Path partCopy;
    private ParquetFooter footer;
    /** The row group to scan next once groups are scanned one by one; -1 while the file is scanned whole. */
    private int nextGroup = -1;
    /** The file's row number of the current record. */
    private long row = -1;
    /** The rows before this one were delivered by the whole-file scan; a group scan steps over them. */
    private long resumeRow;

    ParquetRecords(InputFile file, SourceOptions options, BufferAllocator allocator, ArrowBatchRecords whole) {
        this.file = file;
        this.options = options;
        this.allocator = allocator;
        this.columns = whole.columns();
        this.part = whole;
    }

    @Override
    public boolean advance() throws BadFileException, BadRowsException {
        while (true) {
            if (part != null) {
                boolean more;
                try {
                    more = part.advance();
                } catch (BadFileException e) {
                    closePart();
                    if (nextGroup < 0) {
                        switchToGroups(e);
                        continue;
                    }
                    throw lost(nextGroup - 1, row + 1, e.getCause() != null ? e.getCause() : e);
                }
                if (more) {
                    row++;
                    if (row >= resumeRow) {
                        return true;
                    }
                    continue;
                }
                closePart();
                if (nextGroup < 0) {
                    return false;
                }
            }
            if (nextGroup >= footer.groups().size()) {
                return false;
            }
            openGroup(nextGroup++);
        }
    }

    /** After the whole-file scan failed: go on with the group of the first row not read, or give up the file. */
    private void switchToGroups(BadFileException failure) throws BadFileException {
        try (FileChannel channel = FileChannel.open(file.path(), StandardOpenOption.READ)) {
            footer = ParquetFooter.read(channel);
        } catch (IOException e) {
            throw failure;
        }
        int g = footer.groupOf(row + 1);
        if (g < 0) {
            throw failure;
        }
        nextGroup = g;
        resumeRow = row + 1;
    }

    /** Group {@code g} failed alone at row {@code from}: its rows from there are lost. */
    private BadRowsException lost(int g, long from, Throwable cause) {
        ParquetFooter.RowGroup group = footer.groups().get(g);
        long first = Math.max(from, resumeRow);
        long end = group.firstRow() + group.rows();
        row = end - 1;
        String rows = first <= group.firstRow() ? "its " + group.rows() + " rows" : "rows " + first + " to " + (end - 1);
        String why = cause instanceof Exception ? ArrowFiles.describe((Exception) cause) : String.valueOf(cause);
        return new BadRowsException("row group " + g, "unreadable, " + rows + " lost: " + why, end - first, cause);
    }

    private void openGroup(int g) throws BadRowsException, BadFileException {
        ParquetFooter.RowGroup group = footer.groups().get(g);
        row = group.firstRow() - 1;
        try {
            partCopy = copyOf(g);
            part = ArrowFiles.scanParquet(partCopy, file, columns, group.firstRow(), options, allocator);
        } catch (IOException e) {
            closePart();
            // the local disk failed, not the data: the rest of the file cannot be read
            throw new BadFileException("cannot copy row group " + g + " to a temporary file: "
                    + ArrowFiles.describe(e), e);
        } catch (BadFileException e) {
            closePart();
            throw lost(g, group.firstRow(), e);
        }
    }

    /** A sparse file laid out as the original, holding row group {@code g} only. */
    private Path copyOf(int g) throws IOException {
        ParquetFooter.RowGroup group = footer.groups().get(g);
        long dataEnd = footer.groups().stream().mapToLong(ParquetFooter.RowGroup::end).max().orElse(4);
        Path copy = Files.createTempFile("blt-row-group-", ".parquet");
        try (FileChannel in = FileChannel.open(file.path(), StandardOpenOption.READ);
             FileChannel out = FileChannel.open(copy, StandardOpenOption.WRITE)) {
            out.write(ByteBuffer.wrap(ParquetFooter.MAGIC), 0);
            transfer(in, out, group.start(), group.end());
            // page indexes and bloom filters lie between the last group and the footer
            transfer(in, out, dataEnd, footer.footerStart());
            out.write(ByteBuffer.wrap(footer.footerFor(g)), footer.footerStart());
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(copy);
            throw e;
        }
        return copy;
    }

    private static void transfer(FileChannel in, FileChannel out, long from, long to) throws IOException {
        out.position(from);
        for (long at = from; at < to; ) {
            long n = in.transferTo(at, to - at, out);
            if (n <= 0) {
                throw new IOException("file ends at byte " + at + ", before " + to);
            }
            at += n;
        }
    }

    @Override
    public Document decode(long ordinal) throws BadRecordException {
        return part.decode(ordinal);
    }

    private void closePart() {
        try {
            if (part != null) {
                ArrowBatchRecords p = part;
                part = null;
                p.close();
            }
        } finally {
            if (partCopy != null) {
                Path p = partCopy;
                partCopy = null;
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    p.toFile().deleteOnExit();
                }
            }
        }
    }

    @Override
    public void close() {
        closePart();
    }
}
