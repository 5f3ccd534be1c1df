package dev.blt.data.pretokenize;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Section regions of an ELF file (32/64-bit, either byte order), read from its section header table. */
final class ElfSections {
    private static final int SHT_NULL = 0;
    private static final int SHT_NOBITS = 8;

    private ElfSections() {
    }

    static boolean matches(byte[] d) {
        return d.length >= 4 && d[0] == 0x7f && d[1] == 'E' && d[2] == 'L' && d[3] == 'F';
    }

    /** Throws IllegalArgumentException when the headers are inconsistent with the file. */
    static List<Region> regions(byte[] d) {
        if (d.length < 52) {
            throw new IllegalArgumentException("ELF header truncated");
        }
        boolean is64 = d[4] == 2;
        boolean little = d[5] == 1;
        if ((d[4] != 1 && d[4] != 2) || (d[5] != 1 && d[5] != 2) || (is64 && d.length < 64)) {
            throw new IllegalArgumentException("bad ELF class/data bytes");
        }
        Reader r = new Reader(d, little);
        long shoff = is64 ? r.u64(0x28) : r.u32(0x20);
        int shentsize = r.u16(is64 ? 0x3A : 0x2E);
        int shnum = r.u16(is64 ? 0x3C : 0x30);
        int shstrndx = r.u16(is64 ? 0x3E : 0x32);
        List<Region> out = new ArrayList<>();
        if (shnum == 0) {
            return out;
        }
        long tableEnd = shoff + (long) shnum * shentsize;
        if (shoff <= 0 || shentsize < (is64 ? 64 : 40) || tableEnd > d.length) {
            throw new IllegalArgumentException("section header table outside the file");
        }
        out.add(new Region(shoff, tableEnd, "elf_section_headers", Segments.fields("sections", shnum)));
        long strOff = shstrndx != 0 && shstrndx < shnum ? (is64 ? r.u64(header(shoff, shentsize, shstrndx) + 24) : r.u32(header(shoff, shentsize, shstrndx) + 16)) : -1;
        for (int i = 0; i < shnum; i++) {
            int h = header(shoff, shentsize, i);
            int nameOff = (int) r.u32(h);
            long type = r.u32(h + 4);
            long flags = is64 ? r.u64(h + 8) : r.u32(h + 8);
            long offset = is64 ? r.u64(h + 24) : r.u32(h + 16);
            long size = is64 ? r.u64(h + 32) : r.u32(h + 20);
            if (type == SHT_NULL || type == SHT_NOBITS || size == 0 || offset + size > d.length || offset < 0) {
                continue;
            }
            out.add(new Region(offset, offset + size, "elf_section", Segments.fields(
                    "name", name(d, strOff, nameOff), "type", typeName(type), "index", i,
                    "executable", (flags & 4) != 0, "writable", (flags & 1) != 0)));
        }
        return out;
    }

    private static int header(long shoff, int shentsize, int index) {
        return (int) (shoff + (long) index * shentsize);
    }

    private static String name(byte[] d, long strOff, int nameOff) {
        if (strOff < 0 || strOff + nameOff >= d.length) {
            return "";
        }
        int start = (int) (strOff + nameOff);
        int end = start;
        while (end < d.length && d[end] != 0) {
            end++;
        }
        return new String(d, start, end - start, StandardCharsets.UTF_8);
    }

    private static String typeName(long type) {
        switch ((int) type) {
            case 1: return "progbits";
            case 2: return "symtab";
            case 3: return "strtab";
            case 4: return "rela";
            case 5: return "hash";
            case 6: return "dynamic";
            case 7: return "note";
            case 9: return "rel";
            case 11: return "dynsym";
            case 14: return "init_array";
            case 15: return "fini_array";
            default: return "0x" + Long.toHexString(type);
        }
    }

    /** Bounds-checked little/big-endian integer reads. */
    private static final class Reader {
        private final byte[] d;
        private final boolean little;

        Reader(byte[] d, boolean little) {
            this.d = d;
            this.little = little;
        }

        long read(int at, int n) {
            if (at < 0 || at + n > d.length) {
                throw new IllegalArgumentException("ELF field at " + at + " outside the file");
            }
            long v = 0;
            for (int i = 0; i < n; i++) {
                int b = d[at + (little ? n - 1 - i : i)] & 0xff;
                v = v << 8 | b;
            }
            return v;
        }

        int u16(int at) {
            return (int) read(at, 2);
        }

        long u32(int at) {
            return read(at, 4);
        }

        long u64(int at) {
            long v = read(at, 8);
            if (v < 0) {
                throw new IllegalArgumentException("ELF offset at " + at + " is too large");
            }
            return v;
        }
    }
}
