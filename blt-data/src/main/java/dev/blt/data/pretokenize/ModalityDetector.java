package dev.blt.data.pretokenize;

import org.apache.tika.Tika;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Detects a document's modality from its bytes (and file name, when known): first our own magic checks for the
 * formats we can cut (PDF, WAV, ELF, ZIP, PNG/JPEG/GIF/TIFF/WebP), then Tika's MIME detection (magic and file-name
 * globs), then whether the bytes are UTF-8 text. Code is recognised by file extension, Tika's source MIME types or a
 * Python shebang.
 */
public final class ModalityDetector {
    /** Tika's source-code MIME types for the languages we have grammars for. */
    private static final Map<String, CodeLanguage> CODE_MIME_TYPES = Map.of(
            "text/x-java-source", CodeLanguage.JAVA,
            "text/x-python", CodeLanguage.PYTHON,
            "text/x-rustsrc", CodeLanguage.RUST,
            "text/javascript", CodeLanguage.JAVASCRIPT,
            "application/javascript", CodeLanguage.JAVASCRIPT,
            "text/x-csrc", CodeLanguage.C,
            "text/x-chdr", CodeLanguage.C,
            "text/x-c", CodeLanguage.C);
    /** Tika's detector is thread-safe; building it parses its MIME database once. */
    private static final class TikaHolder {
        static final Tika TIKA = new Tika();
    }

    private ModalityDetector() {
    }

    /** {@code fileName} may be null. */
    public static Detection detect(byte[] data, String fileName) {
        Optional<Detection> magic = magic(data);
        if (magic.isPresent()) {
            return magic.get();
        }
        String mime = TikaHolder.TIKA.detect(data, fileName);
        Optional<CodeLanguage> byName = fileName == null ? Optional.empty() : CodeLanguage.byFileName(fileName);
        if (byName.isPresent() && isText(data)) {
            return new Detection(Modality.CODE, byName.get(), mime, "file extension");
        }
        if (CODE_MIME_TYPES.containsKey(mime) && isText(data)) {
            return new Detection(Modality.CODE, CODE_MIME_TYPES.get(mime), mime, "Tika MIME type");
        }
        if (mime.startsWith("image/") && !mime.equals("image/svg+xml")) {
            return new Detection(Modality.IMAGE, null, mime, "Tika MIME type");
        }
        if (mime.equals("audio/vnd.wave") || mime.equals("audio/x-wav") || mime.equals("audio/wav")) {
            return new Detection(Modality.AUDIO, null, mime, "Tika MIME type");
        }
        if (mime.equals("application/pdf")) {
            return new Detection(Modality.PDF, null, mime, "Tika MIME type");
        }
        if (isText(data)) {
            if (startsWith(data, "#!") && firstLine(data).contains("python")) {
                return new Detection(Modality.CODE, CodeLanguage.PYTHON, mime, "python shebang");
            }
            return new Detection(Modality.TEXT, null, mime, "UTF-8 text");
        }
        if (mime.startsWith("text/") && !hasNul(data)) { // e.g. Latin-1 text (Tika may also guess from the name alone)
            return new Detection(Modality.TEXT, null, mime, "Tika MIME type (not UTF-8)");
        }
        return new Detection(Modality.BINARY, null, mime, "not UTF-8 text");
    }

    private static Optional<Detection> magic(byte[] d) {
        if (startsWith(d, "%PDF-")) {
            return found(Modality.PDF, "application/pdf", "%PDF- magic");
        }
        if (riff(d, "WAVE")) {
            return found(Modality.AUDIO, "audio/vnd.wave", "RIFF/WAVE magic");
        }
        if (ElfSections.matches(d)) {
            return found(Modality.BINARY, "application/x-executable", "ELF magic");
        }
        if (ZipEntries.matches(d)) {
            return found(Modality.BINARY, "application/zip", "ZIP magic");
        }
        if (startsWith(d, "\u0089PNG\r\n\u001a\n")) {
            return found(Modality.IMAGE, "image/png", "PNG magic");
        }
        if (d.length >= 3 && (d[0] & 0xff) == 0xFF && (d[1] & 0xff) == 0xD8 && (d[2] & 0xff) == 0xFF) {
            return found(Modality.IMAGE, "image/jpeg", "JPEG magic");
        }
        if (startsWith(d, "GIF87a") || startsWith(d, "GIF89a")) {
            return found(Modality.IMAGE, "image/gif", "GIF magic");
        }
        if (startsWith(d, "II*\u0000") || startsWith(d, "MM\u0000*")) {
            return found(Modality.IMAGE, "image/tiff", "TIFF magic");
        }
        if (riff(d, "WEBP")) {
            return found(Modality.IMAGE, "image/webp", "RIFF/WEBP magic");
        }
        return Optional.empty();
    }

    private static Optional<Detection> found(Modality modality, String mime, String reason) {
        return Optional.of(new Detection(modality, null, mime, reason));
    }

    private static boolean riff(byte[] d, String form) {
        return d.length >= 12 && startsWith(d, "RIFF") && new String(d, 8, 4, StandardCharsets.ISO_8859_1).equals(form);
    }

    /** {@code magic} is Latin-1: each char is one byte. */
    private static boolean startsWith(byte[] d, String magic) {
        if (d.length < magic.length()) {
            return false;
        }
        for (int i = 0; i < magic.length(); i++) {
            if ((d[i] & 0xff) != magic.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Well-formed UTF-8 without NUL bytes (which text files do not contain, binaries nearly always do). */
    static boolean isText(byte[] d) {
        return !hasNul(d) && Utf8.isValid(d);
    }

    private static boolean hasNul(byte[] d) {
        for (byte b : d) {
            if (b == 0) {
                return true;
            }
        }
        return false;
    }

    private static String firstLine(byte[] d) {
        int end = 0;
        while (end < d.length && end < 200 && d[end] != '\n') {
            end++;
        }
        return new String(d, 0, end, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
    }
}
