package dev.blt.data.pretokenize;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Entry regions of a ZIP file, from its central directory: each entry is its local header, name, extra field,
 * compressed data and data descriptor, as stored (nothing is inflated). ZIP64 archives are not parsed.
 */
final class ZipEntries {
    private static final int EOCD_SIZE = 22;
    private static final int MAX_COMMENT = 0xFFFF;

    private ZipEntries() {
    }

    static boolean matches(byte[] d) {
        return d.length >= 4 && d[0] == 'P' && d[1] == 'K' && ((d[2] == 3 && d[3] == 4) || (d[2] == 5 && d[3] == 6));
    }

    /** Throws IllegalArgumentException when the directory is missing or points outside the file. */
    static List<Region> regions(byte[] d) {
        int eocd = findEndOfCentralDirectory(d);
        int entries = u16(d, eocd + 10);
        long cdSize = u32(d, eocd + 12);
        long cdOffset = u32(d, eocd + 16);
        if (entries == 0xFFFF || cdOffset == 0xFFFFFFFFL) {
            throw new IllegalArgumentException("ZIP64 archive");
        }
        if (cdOffset + cdSize > eocd) {
            throw new IllegalArgumentException("central directory outside the file");
        }
        List<Region> out = new ArrayList<>();
        out.add(new Region(eocd, d.length, "zip_end", Segments.fields("entries", entries)));
        out.add(new Region(cdOffset, cdOffset + cdSize, "zip_central_directory", Segments.fields("entries", entries)));
        int p = (int) cdOffset;
        for (int i = 0; i < entries; i++) {
            if (p + 46 > cdOffset + cdSize || !signature(d, p, 1, 2)) {
                throw new IllegalArgumentException("central directory entry " + i + " is corrupt");
            }
            int method = u16(d, p + 10);
            long compressed = u32(d, p + 20);
            long size = u32(d, p + 24);
            int nameLength = u16(d, p + 28);
            int extraLength = u16(d, p + 30);
            int commentLength = u16(d, p + 32);
            long local = u32(d, p + 42);
            String name = new String(d, p + 46, Math.min(nameLength, d.length - p - 46), StandardCharsets.UTF_8);
            out.add(new Region(local, localEnd(d, local, compressed), "zip_entry", Segments.fields(
                    "name", name, "method", method == 0 ? "stored" : method == 8 ? "deflated" : String.valueOf(method),
                    "compressed_size", compressed, "size", size)));
            p += 46 + nameLength + extraLength + commentLength;
        }
        return out;
    }

    private static long localEnd(byte[] d, long local, long compressed) {
        if (local + 30 > d.length || !signature(d, (int) local, 3, 4)) {
            throw new IllegalArgumentException("local header at " + local + " is missing");
        }
        int l = (int) local;
        long end = local + 30 + u16(d, l + 26) + u16(d, l + 28) + compressed;
        boolean descriptor = (u16(d, l + 6) & 8) != 0;
        if (descriptor && end + 4 <= d.length) {
            end += signature(d, (int) end, 7, 8) ? 16 : 12;
        }
        if (end > d.length) {
            throw new IllegalArgumentException("entry at " + local + " runs past the end of the file");
        }
        return end;
    }

    private static int findEndOfCentralDirectory(byte[] d) {
        for (int p = d.length - EOCD_SIZE; p >= Math.max(0, d.length - EOCD_SIZE - MAX_COMMENT); p--) {
            if (signature(d, p, 5, 6)) {
                return p;
            }
        }
        throw new IllegalArgumentException("no end-of-central-directory record");
    }

    private static boolean signature(byte[] d, int at, int third, int fourth) {
        return at >= 0 && at + 4 <= d.length && d[at] == 'P' && d[at + 1] == 'K' && d[at + 2] == third && d[at + 3] == fourth;
    }

    private static int u16(byte[] d, int at) {
        return (d[at] & 0xff) | (d[at + 1] & 0xff) << 8;
    }

    private static long u32(byte[] d, int at) {
        return (d[at] & 0xffL) | (d[at + 1] & 0xffL) << 8 | (d[at + 2] & 0xffL) << 16 | (d[at + 3] & 0xffL) << 24;
    }
}
