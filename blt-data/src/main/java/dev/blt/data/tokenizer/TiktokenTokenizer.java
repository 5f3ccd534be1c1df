package dev.blt.data.tokenizer;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * OpenAI's tiktoken encodings through jtokkit, whose jar bundles the rank files (nothing is downloaded).
 * Special-token text such as {@code <|endoftext|>} in the input is encoded as ordinary text: user data must not
 * be able to inject control tokens (the Rust seed used {@code encode_with_special_tokens}).
 */
public final class TiktokenTokenizer implements Tokenizer {
    /** tiktoken's {@code n_vocab} (largest special-token id + 1); jtokkit does not expose it. */
    private static final Map<EncodingType, Integer> VOCAB_SIZES = Map.of(
            EncodingType.R50K_BASE, 50257,
            EncodingType.P50K_BASE, 50281,
            EncodingType.P50K_EDIT, 50284,
            EncodingType.CL100K_BASE, 100277,
            EncodingType.O200K_BASE, 200019);

    /** Loads each encoding's ranks once per JVM, on first use (a few hundred ms for cl100k_base). */
    private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();

    private final EncodingType type;
    private final Encoding encoding;

    private TiktokenTokenizer(EncodingType type) {
        this.type = type;
        this.encoding = REGISTRY.getEncoding(type);
    }

    /** The encoding called {@code name} ({@code cl100k_base}, {@code o200k_base}, ...), if jtokkit has it. */
    public static Optional<TiktokenTokenizer> byName(String name) {
        return EncodingType.fromName(name.toLowerCase(Locale.ROOT)).map(TiktokenTokenizer::new);
    }

    @Override
    public String name() {
        return type.getName();
    }

    @Override
    public int vocabSize() {
        return VOCAB_SIZES.get(type);
    }

    @Override
    public int[] encode(String text) {
        return encoding.encodeOrdinary(text).toArray();
    }

    /** Decodes the concatenated token bytes once, so characters split across tokens come back whole. */
    @Override
    public String decode(int[] ids) {
        return new String(decodeBytes(ids), StandardCharsets.UTF_8);
    }

    /** Exact: tiktoken is byte-level, so each token's bytes are a slice of the text's UTF-8. */
    @Override
    public List<byte[]> pieces(String text) {
        int[] ids = encode(text);
        List<byte[]> out = new ArrayList<>(ids.length);
        for (int id : ids) {
            out.add(decodeBytes(new int[]{id}));
        }
        return out;
    }

    private byte[] decodeBytes(int[] ids) {
        IntArrayList list = new IntArrayList(ids.length);
        for (int id : ids) {
            if (id < 0 || id >= vocabSize()) {
                throw new IllegalArgumentException("token id " + id + " is outside " + name() + "'s vocabulary [0, " + vocabSize() + ")");
            }
            list.add(id);
        }
        return encoding.decodeBytes(list);
    }
}
