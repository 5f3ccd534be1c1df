package dev.blt.cli;

import dev.blt.data.pretokenize.ByteSegment;
import dev.blt.data.pretokenize.SegmentMetadata;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Prints pre-tokenizer segments as a table: index, label, range, size, metadata and a preview of the bytes. */
final class SegmentTable {
    private static final int PREVIEW_CHARS = 32;
    private static final int PREVIEW_BYTES = 12;

    private SegmentTable() {
    }

    static void print(PrintStream out, String file, String how, long inputBytes, List<ByteSegment> segments, int maxRows) {
        long total = segments.stream().mapToLong(ByteSegment::size).sum();
        boolean decoded = segments.stream().anyMatch(s -> s.metadata().origin() == SegmentMetadata.Origin.DECODED);
        out.printf("%s: %s%n", file, how);
        out.printf("  %d segments, %d bytes from %d input bytes; ranges are %s%n", segments.size(), total, inputBytes,
                decoded ? "offsets in the decoded stream (pixels, page text)" : "input byte offsets");
        int labelWidth = Math.max(5, segments.stream().mapToInt(s -> s.label().length()).max().orElse(5));
        out.printf("  %6s  %-" + labelWidth + "s  %-21s %8s  %s%n", "#", "label", "range", "size", "metadata  preview");
        int shown = maxRows == 0 ? segments.size() : Math.min(maxRows, segments.size());
        for (int i = 0; i < shown; i++) {
            ByteSegment s = segments.get(i);
            String range = "[" + s.metadata().start() + ", " + s.metadata().end() + ")";
            out.printf("  %6d  %-" + labelWidth + "s  %-21s %8d  %s%s%n", i, s.label(), range, s.size(),
                    fields(s.metadata().fields()), preview(s.bytes()));
        }
        if (shown < segments.size()) {
            out.printf("  ... %d more segments (--max-rows 0 lists all)%n", segments.size() - shown);
        }
    }

    private static String fields(Map<String, Object> fields) {
        if (fields.isEmpty()) {
            return "";
        }
        return fields.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" ")) + "  ";
    }

    /** The start of the bytes: quoted and escaped when they are UTF-8 text, else hex. */
    static String preview(byte[] bytes) {
        int length = Math.min(bytes.length, PREVIEW_CHARS * 4);
        while (length < bytes.length && length > 0 && (bytes[length] & 0xC0) == 0x80) {
            length--; // do not cut a character in two
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, length)).toString();
            long controls = text.codePoints().filter(c -> Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t').count();
            if (controls * 4 > text.length()) {
                throw new CharacterCodingException(); // binary that happens to be valid UTF-8 reads better as hex
            }
            boolean cut = text.codePointCount(0, text.length()) > PREVIEW_CHARS || length < bytes.length;
            if (cut) {
                text = text.substring(0, text.offsetByCodePoints(0, Math.min(PREVIEW_CHARS, text.codePointCount(0, text.length()))));
            }
            StringBuilder sb = new StringBuilder("\"");
            text.codePoints().forEach(c -> sb.append(escape(c)));
            return sb.append(cut ? "\"..." : "\"").toString();
        } catch (CharacterCodingException e) {
            StringBuilder sb = new StringBuilder("0x");
            for (int i = 0; i < Math.min(bytes.length, PREVIEW_BYTES); i++) {
                sb.append(String.format("%02x", bytes[i] & 0xff));
            }
            return sb.append(bytes.length > PREVIEW_BYTES ? "..." : "").toString();
        }
    }

    static String escape(int c) {
        switch (c) {
            case '\n': return "\\n";
            case '\r': return "\\r";
            case '\t': return "\\t";
            case '"': return "\\\"";
            case '\\': return "\\\\";
            default:
                return Character.isISOControl(c) ? String.format("\\x%02x", c) : new String(Character.toChars(c));
        }
    }
}
