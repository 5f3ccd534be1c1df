package dev.blt.data.dataset;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The row groups of a Parquet file, read from its footer (Thrift compact protocol): how many rows each holds and
 * which bytes hold its column chunks. It can also write a footer that lists one row group only, with the other
 * fields of the original copied as they are, so that a reader can be pointed at one row group.
 */
final class ParquetFooter {
    /** Footers hold metadata only; a larger one is taken as damage rather than read into the heap. */
    private static final int MAX_FOOTER_BYTES = 64 << 20;
    static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

    private static final int STOP = 0;
    private static final int TRUE = 1;
    private static final int FALSE = 2;
    private static final int BYTE = 3;
    private static final int I16 = 4;
    private static final int I32 = 5;
    private static final int I64 = 6;
    private static final int DOUBLE = 7;
    private static final int BINARY = 8;
    private static final int LIST = 9;
    private static final int SET = 10;
    private static final int MAP = 11;
    private static final int STRUCT = 12;

    /**
     * One row group.
     *
     * @param firstRow  index in the file of its first row
     * @param rows      how many rows it holds
     * @param start     file offset of its first column chunk
     * @param end       file offset after its last column chunk
     * @param metaStart where its {@code RowGroup} struct starts in the footer
     * @param metaEnd   where that struct ends
     */
    record RowGroup(long firstRow, long rows, long start, long end, int metaStart, int metaEnd) {
    }

    private final byte[] footer;
    private final long footerStart;
    private final List<RowGroup> groups;
    /** Footer bytes of FileMetaData field 3 (num_rows): value start and end. */
    private int numRowsStart;
    private int numRowsEnd;
    /** Footer bytes of field 4 (row_groups): list header start and end of the list. */
    private int groupsStart;
    private int groupsEnd;

    private ParquetFooter(byte[] footer, long footerStart) throws IOException {
        this.footer = footer;
        this.footerStart = footerStart;
        this.groups = parse();
    }

    /** Reads the footer at the end of {@code channel}, without reading the rest. */
    static ParquetFooter read(FileChannel channel) throws IOException {
        long size = channel.size();
        if (size < 12) {
            throw new IOException("too short for a Parquet file: " + size + " bytes");
        }
        ByteBuffer tail = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, tail, size - 8);
        int length = tail.getInt(0);
        if (tail.get(4) != 'P' || tail.get(5) != 'A' || tail.get(6) != 'R' || tail.get(7) != '1') {
            throw new IOException("no PAR1 magic at the end");
        }
        if (length <= 0 || length > MAX_FOOTER_BYTES || length > size - 12) {
            throw new IOException("footer length " + length + " does not fit the file");
        }
        ByteBuffer footer = ByteBuffer.allocate(length);
        readFully(channel, footer, size - 8 - length);
        return new ParquetFooter(footer.array(), size - 8 - length);
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    List<RowGroup> groups() {
        return groups;
    }

    /** Where the footer starts: the data, page indexes and bloom filters lie before it. */
    long footerStart() {
        return footerStart;
    }

    /** The group holding the file's row {@code row}, or -1 past the last one. */
    int groupOf(long row) {
        for (int g = 0; g < groups.size(); g++) {
            RowGroup group = groups.get(g);
            if (row < group.firstRow() + group.rows()) {
                return g;
            }
        }
        return -1;
    }

    /** A footer (FileMetaData, then its length and {@code PAR1}) that lists group {@code g} only. */
    byte[] footerFor(int g) {
        RowGroup group = groups.get(g);
        ByteArrayOutputStream out = new ByteArrayOutputStream(footer.length);
        out.write(footer, 0, numRowsStart);
        writeVarint(out, (group.rows() << 1) ^ (group.rows() >> 63));
        out.write(footer, numRowsEnd, groupsStart - numRowsEnd);
        out.write(1 << 4 | STRUCT);
        out.write(footer, group.metaStart(), group.metaEnd() - group.metaStart());
        out.write(footer, groupsEnd, footer.length - groupsEnd);
        int length = out.size();
        for (int i = 0; i < 4; i++) {
            out.write(length >>> (8 * i));
        }
        out.write(MAGIC, 0, MAGIC.length);
        return out.toByteArray();
    }

    // ---- Thrift compact protocol, just enough to find the row groups and step over everything else

    private int pos;

    /** Reads the value of one field of a struct, or returns false to have it skipped. */
    @FunctionalInterface
    private interface FieldReader {
        boolean read(int id, int type) throws IOException;
    }

    /** Reads a struct's fields up to its stop byte. */
    private void struct(FieldReader reader) throws IOException {
        int field = 0;
        while (true) {
            int header = u8();
            if (header == STOP) {
                return;
            }
            field = fieldId(header, field);
            int type = header & 0x0f;
            if (!reader.read(field, type)) {
                skip(type);
            }
        }
    }

    /** FileMetaData: num_rows (3) and row_groups (4). */
    private List<RowGroup> parse() throws IOException {
        List<RowGroup> out = new ArrayList<>();
        struct((id, type) -> {
            if (id == 3 && type == I64) {
                numRowsStart = pos;
                varint();
                numRowsEnd = pos;
                return true;
            }
            if (id == 4 && type == LIST) {
                groupsStart = pos;
                int[] list = listHeader();
                long firstRow = 0;
                for (int i = 0; i < list[0]; i++) {
                    RowGroup group = rowGroup(firstRow);
                    out.add(group);
                    firstRow += group.rows();
                }
                groupsEnd = pos;
                return true;
            }
            return false;
        });
        if (numRowsEnd == 0 || groupsEnd == 0 || numRowsEnd > groupsStart) {
            throw new IOException("footer without num_rows before row_groups");
        }
        return out;
    }

    /** RowGroup: columns (1) and num_rows (3). */
    private RowGroup rowGroup(long firstRow) throws IOException {
        int metaStart = pos;
        long[] rows = {-1};
        long[] range = {Long.MAX_VALUE, 0};
        struct((id, type) -> {
            if (id == 1 && type == LIST) {
                int[] list = listHeader();
                for (int i = 0; i < list[0]; i++) {
                    long[] chunk = columnChunk();
                    range[0] = Math.min(range[0], chunk[0]);
                    range[1] = Math.max(range[1], chunk[1]);
                }
                return true;
            }
            if (id == 3 && type == I64) {
                rows[0] = zigzag(varint());
                return true;
            }
            return false;
        });
        if (rows[0] < 0 || range[0] == Long.MAX_VALUE || range[0] > range[1] || range[1] > footerStart) {
            throw new IOException("row group without rows or column chunks");
        }
        return new RowGroup(firstRow, rows[0], range[0], range[1], metaStart, pos);
    }

    /** ColumnChunk: {@code [start, end)} of its pages, from its ColumnMetaData (3). */
    private long[] columnChunk() throws IOException {
        long[][] range = {null};
        struct((id, type) -> {
            if (id == 3 && type == STRUCT) {
                range[0] = columnMetaData();
                return true;
            }
            return false;
        });
        if (range[0] == null) {
            throw new IOException("column chunk without metadata");
        }
        return range[0];
    }

    /** ColumnMetaData: total_compressed_size (7), data_page_offset (9), dictionary_page_offset (11). */
    private long[] columnMetaData() throws IOException {
        long[] values = new long[12];
        Arrays.fill(values, -1);
        struct((id, type) -> {
            if (type == I64 && (id == 7 || id == 9 || id == 11)) {
                values[id] = zigzag(varint());
                return true;
            }
            return false;
        });
        long size = values[7];
        long dataPage = values[9];
        long dictionaryPage = values[11];
        // some writers store a zero dictionary offset for "none"
        long start = dictionaryPage > 0 && dictionaryPage < dataPage ? dictionaryPage : dataPage;
        if (size < 0 || start < 0) {
            throw new IOException("column chunk without offsets");
        }
        return new long[]{start, start + size};
    }

    private int fieldId(int header, int previous) throws IOException {
        int delta = header >>> 4;
        return delta != 0 ? previous + delta : (int) zigzag(varint());
    }

    /** {@code [size, element type]}. */
    private int[] listHeader() throws IOException {
        int b = u8();
        long size = b >>> 4;
        if (size == 15) {
            size = varint();
        }
        if (size > footer.length) {
            throw new IOException("list of " + size + " elements in a footer of " + footer.length + " bytes");
        }
        return new int[]{(int) size, b & 0x0f};
    }

    private void skip(int type) throws IOException {
        switch (type) {
            case TRUE:
            case FALSE:
                break;
            case BYTE:
                u8();
                break;
            case I16:
            case I32:
            case I64:
                varint();
                break;
            case DOUBLE:
                advance(8);
                break;
            case BINARY:
                advance(varint());
                break;
            case LIST:
            case SET: {
                int[] list = listHeader();
                for (int i = 0; i < list[0]; i++) {
                    skipElement(list[1]);
                }
                break;
            }
            case MAP: {
                long size = varint();
                if (size > 0) {
                    int types = u8();
                    for (long i = 0; i < size; i++) {
                        skipElement(types >>> 4);
                        skipElement(types & 0x0f);
                    }
                }
                break;
            }
            case STRUCT:
                struct((id, t) -> false);
                break;
            default:
                throw new IOException("unknown Thrift type " + type + " at footer byte " + pos);
        }
    }

    /** In lists, sets and maps a boolean takes a byte. */
    private void skipElement(int type) throws IOException {
        if (type == TRUE || type == FALSE) {
            u8();
        } else {
            skip(type);
        }
    }

    private void advance(long n) throws IOException {
        if (n < 0 || n > footer.length - pos) {
            throw new IOException("footer ends inside a value");
        }
        pos += (int) n;
    }

    private int u8() throws IOException {
        if (pos >= footer.length) {
            throw new IOException("footer ends early");
        }
        return footer[pos++] & 0xff;
    }

    private long varint() throws IOException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = u8();
            v |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new IOException("varint longer than 10 bytes");
    }

    private static long zigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    private static void writeVarint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7fL) != 0) {
            out.write((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
