package dev.blt.data.tokenizer;

import ai.djl.sentencepiece.SpProcessor;
import ai.djl.sentencepiece.SpTokenizer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A SentencePiece {@code .model}: encoding by DJL's bundled native library, decoding and pieces in Java from the
 * model's piece table ({@link SentencePieceModel}), because the native decode mangles 4-byte UTF-8.
 */
public final class SentencePieceTokenizer implements Tokenizer {
    private static final char SPACE_SYMBOL = '\u2581';
    /** SentencePiece's default {@code unk_surface}. */
    private static final String UNKNOWN_SURFACE = " \u2047 ";

    private final String name;
    private boolean closed;
    private final SentencePieceModel model;
    private final SpTokenizer nativeTokenizer;
    private final SpProcessor processor;

    private SentencePieceTokenizer(String name, SentencePieceModel model, SpTokenizer nativeTokenizer) {
        this.name = name;
        this.model = model;
        this.nativeTokenizer = nativeTokenizer;
        this.processor = nativeTokenizer.getProcessor();
    }

    public static SentencePieceTokenizer open(Path modelFile) throws IOException {
        SentencePieceModel model = SentencePieceModel.read(modelFile);
        SpTokenizer nativeTokenizer;
        try {
            nativeTokenizer = new SpTokenizer(modelFile);
        } catch (RuntimeException e) {
            throw new IOException(modelFile + ": SentencePiece could not load the model: " + e.getMessage(), e);
        }
        return new SentencePieceTokenizer(modelFile.getFileName().toString(), model, nativeTokenizer);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int vocabSize() {
        return model.size();
    }

    @Override
    public int[] encode(String text) {
        return processor.encode(text);
    }

    /**
     * As SentencePiece decodes: control pieces vanish, runs of byte pieces are decoded together as UTF-8
     * (invalid sequences become U+FFFD), ▁ becomes a space, and the first piece's leading ▁ (the dummy prefix)
     * is dropped.
     */
    @Override
    public String decode(int[] ids) {
        StringBuilder out = new StringBuilder();
        ByteArrayOutputStream pendingBytes = new ByteArrayOutputStream();
        boolean atStart = true;
        for (int id : ids) {
            checkId(id);
            SentencePieceModel.PieceType type = model.type(id);
            if (type == SentencePieceModel.PieceType.CONTROL || type == SentencePieceModel.PieceType.UNUSED) {
                continue;
            }
            if (type == SentencePieceModel.PieceType.BYTE) {
                pendingBytes.write(model.byteValue(id));
                atStart = false;
                continue;
            }
            flush(pendingBytes, out);
            String piece = type == SentencePieceModel.PieceType.UNKNOWN ? UNKNOWN_SURFACE : model.piece(id);
            if (atStart && model.stripsLeadingSpace() && !piece.isEmpty() && piece.charAt(0) == SPACE_SYMBOL) {
                piece = piece.substring(1);
            }
            out.append(piece.replace(SPACE_SYMBOL, ' '));
            atStart = false;
        }
        flush(pendingBytes, out);
        return out.toString();
    }

    private static void flush(ByteArrayOutputStream pendingBytes, StringBuilder out) {
        if (pendingBytes.size() > 0) {
            out.append(new String(pendingBytes.toByteArray(), StandardCharsets.UTF_8));
            pendingBytes.reset();
        }
    }

    /**
     * Upstream's {@code text2bytes_bpe_delims} on piece strings: leading all-▁ pieces merge into one piece that
     * becomes the text's own leading spaces (normalization may have removed them); the first other piece loses
     * its ▁ (the dummy prefix); later pieces turn ▁ into a space; BYTE pieces are their byte; empty pieces vanish.
     * Because SentencePiece normalizes (collapsing spaces, NFKC), the pieces need not concatenate to the text.
     */
    @Override
    public List<byte[]> pieces(String text) {
        int[] ids = encode(text);
        int firstOther = 0;
        StringBuilder leading = new StringBuilder();
        while (firstOther < ids.length && allSpaceSymbols(model.piece(ids[firstOther]))) {
            leading.append(model.piece(ids[firstOther++]));
        }
        List<byte[]> out = new ArrayList<>();
        boolean onlySpacesSoFar = true;
        for (int i = firstOther - 1; i < ids.length; i++) {
            boolean merged = i == firstOther - 1;
            String piece = merged ? leading.toString() : model.piece(ids[i]);
            byte[] bytes;
            if (!merged && model.type(ids[i]) == SentencePieceModel.PieceType.BYTE) {
                bytes = new byte[]{(byte) model.byteValue(ids[i])};
            } else if (out.size() <= 1 && onlySpacesSoFar && !allSpaceSymbols(piece)) {
                bytes = piece.replace(String.valueOf(SPACE_SYMBOL), "").getBytes(StandardCharsets.UTF_8);
            } else if (merged) {
                bytes = " ".repeat(leadingSpaces(text)).getBytes(StandardCharsets.UTF_8);
            } else {
                bytes = piece.replace(SPACE_SYMBOL, ' ').getBytes(StandardCharsets.UTF_8);
            }
            if (bytes.length > 0) {
                out.add(bytes);
                onlySpacesSoFar &= allSpaces(bytes);
            }
        }
        return out;
    }

    /** Python's {@code len(text) - len(text.lstrip(" "))}: ASCII spaces only. */
    private static int leadingSpaces(String text) {
        int n = 0;
        while (n < text.length() && text.charAt(n) == ' ') {
            n++;
        }
        return n;
    }

    private static boolean allSpaceSymbols(String s) {
        return s.chars().allMatch(c -> c == SPACE_SYMBOL);
    }

    private static boolean allSpaces(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ') {
                return false;
            }
        }
        return true;
    }

    private void checkId(int id) {
        if (id < 0 || id >= model.size()) {
            throw new IllegalArgumentException("token id " + id + " is outside " + name + "'s vocabulary [0, " + model.size() + ")");
        }
    }

    /** Idempotent: the native library crashes when a processor is freed twice. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            nativeTokenizer.close();
        }
    }
}
