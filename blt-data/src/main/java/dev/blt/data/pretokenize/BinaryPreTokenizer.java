package dev.blt.data.pretokenize;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Binary files, byte-preserving: ELF files cut at their sections ({@code elf_section}, with the header table and the
 * bytes between sections as segments of their own), ZIP files at their entries as stored ({@code zip_entry}, plus
 * the central directory), anything else — including ELF/ZIP files whose structure does not parse — into
 * {@code chunk}s of {@code chunkSize} bytes. The seed failed on ZIP and on malformed ELF.
 */
public final class BinaryPreTokenizer implements ModalityPreTokenizer {
    private final int chunkSize;

    public BinaryPreTokenizer(int chunkSize) {
        if (chunkSize <= 0) {
            throw new IllegalArgumentException("chunk size must be positive, got " + chunkSize);
        }
        this.chunkSize = chunkSize;
    }

    @Override
    public String modality() {
        return "binary";
    }

    @Override
    public List<ByteSegment> preTokenize(byte[] data) {
        String reason = null;
        try {
            if (ElfSections.matches(data)) {
                return Region.tile(data, ElfSections.regions(data), "elf_header", "elf_gap");
            }
            if (ZipEntries.matches(data)) {
                return Region.tile(data, ZipEntries.regions(data), "zip_prefix", "zip_gap");
            }
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            reason = (ElfSections.matches(data) ? "malformed ELF: " : "malformed ZIP: ") + e.getMessage();
        }
        return chunks(data, reason);
    }

    private List<ByteSegment> chunks(byte[] data, String reason) {
        List<ByteSegment> out = new ArrayList<>();
        for (int start = 0; start < data.length; start += chunkSize) {
            int end = (int) Math.min((long) start + chunkSize, data.length);
            Map<String, Object> fields = reason != null && start == 0 ? Segments.fields("note", reason) : Map.of();
            out.add(Segments.slice(data, start, end, "chunk", fields));
        }
        return Segments.checkTiling(out, data.length);
    }
}
