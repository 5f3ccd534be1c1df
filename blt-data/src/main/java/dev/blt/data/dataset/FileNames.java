package dev.blt.data.dataset;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Readable, unique names for paths whose bytes are not all UTF-8 (Linux allows any byte but {@code /} and NUL in a
 * name). The JDK turns each undecodable byte into U+FFFD, so two such names can print alike; here the name's
 * bytes are decoded as UTF-8 and each byte that is not part of a well-formed sequence is written {@code %XX}
 * (upper-case hex). A {@code %} that is followed by two hex digits is written {@code %25}, so every {@code %XX} in a
 * name stands for one byte and {@link #bytes} gives back the exact bytes. Names that are valid UTF-8 and hold no such
 * {@code %} are their plain text.
 */
public final class FileNames {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private FileNames() {
    }

    /** {@code path} as given (relative stays relative), undecodable bytes escaped as {@code %XX}. */
    public static String readable(Path path) {
        String s = path.toString();
        if (s.indexOf('\uFFFD') < 0 && s.indexOf('%') < 0) {
            return s;
        }
        if (!"/".equals(path.getFileSystem().getSeparator())) {
            // names there are UTF-16 already: only the % needs care
            return escape(s.getBytes(StandardCharsets.UTF_8));
        }
        return escape(unixBytes(path));
    }

    /** The bytes a {@link #readable} name stands for. */
    public static byte[] bytes(String name) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(name.length());
        for (int i = 0; i < name.length(); ) {
            if (isEscape(name, i)) {
                out.write(Integer.parseInt(name.substring(i + 1, i + 3), 16));
                i += 3;
            } else {
                int cp = name.codePointAt(i);
                byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
                i += Character.charCount(cp);
            }
        }
        return out.toByteArray();
    }

    /** UTF-8 where well-formed, {@code %XX} for every other byte, {@code %25} for a {@code %} that looks like one. */
    static String escape(byte[] raw) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(raw);
        CharBuffer chunk = CharBuffer.allocate(raw.length);
        StringBuilder out = new StringBuilder(raw.length + 8);
        while (true) {
            chunk.clear();
            CoderResult r = decoder.decode(in, chunk, true);
            appendText(out, chunk.flip());
            if (!r.isError()) {
                break;
            }
            for (int k = 0; k < r.length(); k++) {
                int b = in.get() & 0xff;
                out.append('%').append(HEX[b >>> 4]).append(HEX[b & 0xf]);
            }
        }
        return out.toString();
    }

    /** Decoded text of one run of well-formed bytes: a run ends only at an escape, so looking ahead stays inside it. */
    private static void appendText(StringBuilder out, CharSequence text) {
        String s = text.toString();
        for (int i = 0; i < s.length(); i++) {
            if (isEscape(s, i)) {
                out.append("%25");
            } else {
                out.append(s.charAt(i));
            }
        }
    }

    private static boolean isEscape(String s, int i) {
        return s.charAt(i) == '%' && i + 2 < s.length() && hex(s.charAt(i + 1)) && hex(s.charAt(i + 2));
    }

    private static boolean hex(char c) {
        return c >= '0' && c <= '9' || c >= 'A' && c <= 'F' || c >= 'a' && c <= 'f';
    }

    /**
     * The bytes of a path on a Unix file system. {@link Path#toUri} is the one public view of them: it
     * percent-encodes the absolute path's bytes as they are.
     */
    private static byte[] unixBytes(Path path) {
        byte[] absolute = uriBytes(path.toAbsolutePath());
        if (path.isAbsolute()) {
            return absolute;
        }
        byte[] cwd = uriBytes(path.getFileSystem().getPath("").toAbsolutePath());
        int skip = cwd.length == 1 ? 1 : cwd.length + 1;
        return Arrays.copyOfRange(absolute, Math.min(skip, absolute.length), absolute.length);
    }

    private static byte[] uriBytes(Path absolute) {
        String raw = absolute.toUri().getRawPath();
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length()) {
                out.write(Integer.parseInt(raw.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        byte[] b = out.toByteArray();
        // toUri marks a directory with a trailing slash
        return b.length > 1 && b[b.length - 1] == '/' ? Arrays.copyOf(b, b.length - 1) : b;
    }
}
