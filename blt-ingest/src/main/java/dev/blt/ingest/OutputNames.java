package dev.blt.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * File names for document ids. Short ids are escaped ({@code [A-Za-z0-9_-]} and inner dots kept, every other byte
 * of the UTF-8 id as {@code %XX}), which is reversible, so two ids never share a name. Ids whose escaped form is
 * too long for a file system get a readable prefix plus {@code ~} and the SHA-256 of the id; {@code ~} never
 * occurs in an escaped name, so the two forms cannot meet.
 */
public final class OutputNames {
    /** Leaves room for {@code .metadata.json} and temp-file decorations under the usual 255-byte limit. */
    static final int MAX_ESCAPED = 160;
    private static final int HASHED_PREFIX = 80;

    private OutputNames() {
    }

    public static String forId(String id) {
        String escaped = escape(id);
        if (escaped.length() <= MAX_ESCAPED && !escaped.isEmpty()) {
            return escaped;
        }
        String prefix = escaped.substring(0, Math.min(HASHED_PREFIX, escaped.length()));
        // do not cut an escape sequence in half
        int pct = prefix.lastIndexOf('%');
        if (pct >= 0 && pct > prefix.length() - 3) {
            prefix = prefix.substring(0, pct);
        }
        return prefix + "~" + sha256(id);
    }

    static String escape(String id) {
        byte[] utf8 = id.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(utf8.length);
        for (int i = 0; i < utf8.length; i++) {
            int b = utf8[i] & 0xff;
            boolean keep = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '_'
                    || b == '-' || (b == '.' && i > 0); // a leading dot would hide the file or make "." / ".."
            if (keep) {
                sb.append((char) b);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(b >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 15, 16)));
            }
        }
        return sb.toString();
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
