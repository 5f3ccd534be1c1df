package dev.blt.ingest;

import dev.blt.data.dataset.Document;

import javax.imageio.ImageIO;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Decides a document's modality (by magic bytes and file extension, or as forced by {@code --modality}) and checks
 * that the bytes really are of it. Every modality is fed to the model as its raw bytes in one segment: the
 * per-modality pre-tokenizers (code units, image tiles, audio frames) are a separate component that plugs in here.
 */
final class Segmenter {
    private static final Set<String> CODE_EXTENSIONS = Set.of("java", "py", "rs", "c", "h", "cc", "cpp", "hpp",
            "js", "ts", "go", "rb", "kt", "scala", "sh", "cs", "swift", "php", "lua", "sql");

    private final Modality forced;

    Segmenter(Modality forced) {
        this.forced = forced;
    }

    IngestDocument prepare(Document d) throws DocumentException {
        byte[] bytes = d.bytes();
        Modality m = forced == Modality.AUTO ? detect(d) : forced;
        check(m, bytes);
        List<Segment> segments = List.of(new Segment(m.label(), m.label(), 0, bytes.length));
        return new IngestDocument(d.id(), d.file(), d.row(), d.ordinal(), bytes, bytes.length, m, segments);
    }

    static Modality detect(Document d) {
        byte[] b = d.bytes();
        if (isImage(b)) {
            return Modality.IMAGE;
        }
        if (startsWith(b, "%PDF-")) {
            return Modality.PDF;
        }
        if (isWav(b)) {
            return Modality.AUDIO;
        }
        if (d.hasText() || Utf8Check.isValid(b)) {
            return CODE_EXTENSIONS.contains(extension(d.file())) ? Modality.CODE : Modality.TEXT;
        }
        return Modality.BINARY;
    }

    /** Rejects bytes that are not what the modality says: the reason goes to errors.jsonl. */
    private static void check(Modality m, byte[] b) throws DocumentException {
        switch (m) {
            case IMAGE:
                checkImage(b);
                break;
            case PDF:
                if (!startsWith(b, "%PDF-")) {
                    throw new DocumentException("not a PDF (no %PDF- header)");
                }
                break;
            case AUDIO:
                if (!isWav(b)) {
                    throw new DocumentException("not a WAV file (no RIFF/WAVE header)");
                }
                break;
            case TEXT:
            case CODE:
                if (!Utf8Check.isValid(b)) {
                    throw new DocumentException("not valid UTF-8 text");
                }
                break;
            default:
                break;
        }
    }

    private static void checkImage(byte[] b) throws DocumentException {
        try {
            if (ImageIO.read(new ByteArrayInputStream(b)) == null) {
                throw new DocumentException("undecodable image: no reader for this format");
            }
        } catch (IOException | RuntimeException e) {
            throw new DocumentException("undecodable image: " + e.getMessage(), e);
        }
    }

    private static boolean isImage(byte[] b) {
        return startsWith(b, "\u0089PNG\r\n\u001a\n") || (b.length > 2 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8)
                || startsWith(b, "GIF8") || startsWith(b, "BM");
    }

    private static boolean isWav(byte[] b) {
        return startsWith(b, "RIFF") && b.length >= 12 && b[8] == 'W' && b[9] == 'A' && b[10] == 'V' && b[11] == 'E';
    }

    /** {@code magic} is ISO-8859-1: one char per byte. */
    private static boolean startsWith(byte[] b, String magic) {
        if (b.length < magic.length()) {
            return false;
        }
        for (int i = 0; i < magic.length(); i++) {
            if ((b[i] & 0xff) != magic.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static String extension(String file) {
        int slash = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
        int dot = file.lastIndexOf('.');
        return dot > slash ? file.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
    }
}
