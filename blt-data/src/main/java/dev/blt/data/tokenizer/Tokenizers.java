package dev.blt.data.tokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Opens a tokenizer from a short specification:
 * <ul>
 *   <li>{@code bytes}: BLT's byte tokenizer with BOS and EOS (upstream's defaults);</li>
 *   <li>{@code bytes+SPEC}: the byte tokenizer in BPE-delimiter mode, with the boundaries of tokenizer SPEC;</li>
 *   <li>a tiktoken encoding name bundled by jtokkit: {@code cl100k_base}, {@code o200k_base}, {@code p50k_base},
 *       {@code r50k_base};</li>
 *   <li>a path to a SentencePiece {@code .model} or to a Hugging Face {@code tokenizer.json}.</li>
 * </ul>
 */
public final class Tokenizers {
    private static final String DELIMITED = "bytes+";

    private Tokenizers() {
    }

    public static Tokenizer open(String spec) throws IOException {
        if (spec.equals("bytes")) {
            return new BltTokenizer(true, true);
        }
        if (spec.startsWith(DELIMITED)) {
            return new BltTokenizer(true, true, open(spec.substring(DELIMITED.length())));
        }
        Optional<TiktokenTokenizer> tiktoken = TiktokenTokenizer.byName(spec);
        if (tiktoken.isPresent()) {
            return tiktoken.get();
        }
        Path file = Path.of(spec);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("unknown tokenizer '" + spec + "': expected bytes, bytes+TOKENIZER, "
                    + "cl100k_base, o200k_base, p50k_base, r50k_base, or an existing .model / tokenizer.json file");
        }
        return looksLikeJson(file) ? HuggingFaceJsonTokenizer.open(file) : SentencePieceTokenizer.open(file);
    }

    /** tokenizer.json is a JSON object; a SentencePiece model is a binary protobuf, which never starts with '{'. */
    private static boolean looksLikeJson(Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            int c;
            do {
                c = in.read();
            } while (c == ' ' || c == '\n' || c == '\r' || c == '\t');
            return c == '{';
        }
    }
}
