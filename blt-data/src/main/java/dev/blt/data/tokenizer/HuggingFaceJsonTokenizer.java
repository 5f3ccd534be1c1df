package dev.blt.data.tokenizer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A Hugging Face {@code tokenizer.json} through DJL's bundled Rust {@code tokenizers} library. Special tokens
 * are neither added on encode nor emitted on decode; truncation and padding are off.
 */
public final class HuggingFaceJsonTokenizer implements Tokenizer {
    private final String name;
    private boolean closed;
    private final int vocabSize;
    private final HuggingFaceTokenizer tokenizer;

    private HuggingFaceJsonTokenizer(String name, int vocabSize, HuggingFaceTokenizer tokenizer) {
        this.name = name;
        this.vocabSize = vocabSize;
        this.tokenizer = tokenizer;
    }

    public static HuggingFaceJsonTokenizer open(Path file) throws IOException {
        int vocabSize = vocabSize(file);
        HuggingFaceTokenizer tokenizer;
        try {
            tokenizer = HuggingFaceTokenizer.builder().optTokenizerPath(file)
                    .optAddSpecialTokens(false).optTruncation(false).optPadding(false).build();
        } catch (RuntimeException e) {
            throw new IOException(file + ": tokenizers could not load it: " + e.getMessage(), e);
        }
        return new HuggingFaceJsonTokenizer(file.getFileName().toString(), vocabSize, tokenizer);
    }

    /** Largest id in the model's vocabulary or the added tokens, plus one (DJL does not expose it). */
    private static int vocabSize(Path file) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + ": not a tokenizer.json: " + e.getMessage(), e);
        }
        JsonNode vocab = root.path("model").path("vocab");
        if (!vocab.isObject() && !vocab.isArray()) {
            throw new IOException(file + ": not a tokenizer.json: no model.vocab");
        }
        int max = -1;
        if (vocab.isArray()) { // Unigram: [[piece, score], ...], ids are positions
            max = vocab.size() - 1;
        } else {
            for (JsonNode id : vocab) {
                max = Math.max(max, id.asInt());
            }
        }
        for (JsonNode added : root.path("added_tokens")) {
            max = Math.max(max, added.path("id").asInt());
        }
        return max + 1;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int vocabSize() {
        return vocabSize;
    }

    @Override
    public int[] encode(String text) {
        long[] ids = tokenizer.encode(text, false, false).getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.toIntExact(ids[i]);
        }
        return out;
    }

    @Override
    public String decode(int[] ids) {
        long[] longs = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= vocabSize) {
                throw new IllegalArgumentException("token id " + ids[i] + " is outside " + name + "'s vocabulary [0, " + vocabSize + ")");
            }
            longs[i] = ids[i];
        }
        return tokenizer.decode(longs, true);
    }

    /**
     * Cut from the tokens' character spans in the original text, so normalization does not matter and the pieces
     * always concatenate to the text. Text between tokens (e.g. whitespace a pre-tokenizer dropped) joins the
     * following token, as a ▁ does in upstream's pieces; leading and trailing uncovered text is its own piece.
     * Cuts fall on characters: tokens that split one character (byte fallback) share a piece.
     */
    @Override
    public List<byte[]> pieces(String text) {
        return cut(text, false);
    }

    /**
     * {@code text} cut into the words of the tokenizer's pre-tokenizer (tokens grouped by word id), with the same
     * rules as {@link #pieces}.
     */
    public List<byte[]> preTokenizedWords(String text) {
        return cut(text, true);
    }

    private List<byte[]> cut(String text, boolean byWord) {
        Encoding encoding = tokenizer.encode(text, false, false);
        CharSpan[] spans = encoding.getCharTokenSpans();
        long[] wordIds = encoding.getWordIds();
        TreeSet<Integer> cuts = new TreeSet<>(List.of(0, text.length()));
        boolean first = true;
        for (int t = 0; t < spans.length; t++) {
            if (spans[t] == null) {
                continue;
            }
            if (first) {
                cuts.add(clamp(spans[t].getStart(), text));
                first = false;
            }
            boolean lastOfWord = !byWord || t + 1 == spans.length || wordIds[t + 1] != wordIds[t];
            if (lastOfWord) {
                cuts.add(clamp(spans[t].getEnd(), text));
            }
        }
        List<byte[]> out = new ArrayList<>(cuts.size());
        Integer from = null;
        for (int cut : cuts) {
            if (from != null) {
                out.add(text.substring(from, cut).getBytes(StandardCharsets.UTF_8));
            }
            from = cut;
        }
        return out;
    }

    /** Keeps a cut off the middle of a surrogate pair and inside the text. */
    private static int clamp(int index, String text) {
        int i = Math.max(0, Math.min(index, text.length()));
        if (i > 0 && i < text.length() && Character.isLowSurrogate(text.charAt(i)) && Character.isHighSurrogate(text.charAt(i - 1))) {
            i++;
        }
        return i;
    }

    /** Idempotent: the native library crashes when a processor is freed twice. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            tokenizer.close();
        }
    }
}
