package dev.blt.data.pretokenize;

import dev.blt.data.tokenizer.HuggingFaceJsonTokenizer;
import dev.blt.data.tokenizer.Tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Text, cut without changing a byte: into whitespace-delimited words (whitespace runs are segments of their own),
 * or at a tokenizer's boundaries. With a tokenizer, well-formed UTF-8 runs are decoded and cut; bytes that are not
 * UTF-8 become {@code invalid_utf8} segments, so offsets never drift (the seed's lossy decoding made them drift).
 */
public final class TextPreTokenizer implements ModalityPreTokenizer {
    private final String label;
    private final String source;
    private final Function<String, List<byte[]>> splitter;

    private TextPreTokenizer(String label, String source, Function<String, List<byte[]>> splitter) {
        this.label = label;
        this.source = source;
        this.splitter = splitter;
    }

    /** Words and whitespace runs (Unicode whitespace); bytes that are not UTF-8 count as word bytes. */
    public static TextPreTokenizer words() {
        return new TextPreTokenizer("word", null, null);
    }

    /** One segment per token piece ({@link Tokenizer#pieces}); the tokenizer must not normalize the text. */
    public static TextPreTokenizer tokens(Tokenizer tokenizer) {
        return new TextPreTokenizer("token", tokenizer.name(), tokenizer::pieces);
    }

    /** One segment per word of a {@code tokenizer.json}'s pre-tokenizer. */
    public static TextPreTokenizer preTokens(HuggingFaceJsonTokenizer tokenizer) {
        return new TextPreTokenizer("pretoken", tokenizer.name(), tokenizer::preTokenizedWords);
    }

    @Override
    public String modality() {
        return "text";
    }

    @Override
    public List<ByteSegment> preTokenize(byte[] data) throws PreTokenizeException {
        List<ByteSegment> out = splitter == null ? splitWords(data) : splitWithTokenizer(data);
        return Segments.checkTiling(out, data.length);
    }

    private static List<ByteSegment> splitWords(byte[] data) {
        List<ByteSegment> out = new ArrayList<>();
        int start = 0;
        Boolean inSpace = null;
        for (int i = 0; i < data.length; ) {
            int n = Utf8.sequenceLength(data, i);
            boolean space = n > 0 && isSpace(Utf8.codePoint(data, i, n));
            if (inSpace != null && space != inSpace) {
                out.add(Segments.slice(data, start, i, inSpace ? "space" : "word", Map.of()));
                start = i;
            }
            inSpace = space;
            i += Math.max(n, 1);
        }
        if (inSpace != null) {
            out.add(Segments.slice(data, start, data.length, inSpace ? "space" : "word", Map.of()));
        }
        return out;
    }

    private static boolean isSpace(int codePoint) {
        return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint);
    }

    private List<ByteSegment> splitWithTokenizer(byte[] data) throws PreTokenizeException {
        List<ByteSegment> out = new ArrayList<>();
        int runStart = 0;
        int i = 0;
        while (i <= data.length) {
            int n = i < data.length ? Utf8.sequenceLength(data, i) : 0;
            if (n > 0) {
                i += n;
                continue;
            }
            addPieces(data, runStart, i, out);
            if (i == data.length) {
                break;
            }
            int bad = i;
            while (i < data.length && Utf8.sequenceLength(data, i) == 0) {
                i++;
            }
            out.add(Segments.slice(data, bad, i, "invalid_utf8", Map.of()));
            runStart = i;
        }
        return out;
    }

    private void addPieces(byte[] data, int from, int to, List<ByteSegment> out) throws PreTokenizeException {
        if (from == to) {
            return;
        }
        int at = from;
        for (byte[] piece : splitter.apply(new String(data, from, to - from, StandardCharsets.UTF_8))) {
            if (at + piece.length > to || !Arrays.equals(piece, 0, piece.length, data, at, at + piece.length)) {
                throw new PreTokenizeException("tokenizer " + source + " changes the text it cuts (normalization), "
                        + "so its pieces cannot be mapped to input bytes; use a tokenizer.json or a tiktoken encoding");
            }
            out.add(Segments.slice(data, at, at + piece.length, label, Map.of()));
            at += piece.length;
        }
        if (at != to) {
            throw new PreTokenizeException("tokenizer " + source + " dropped " + (to - at) + " bytes of the text at " + at);
        }
    }
}
