package dev.blt.data.pretokenize;

import dev.blt.data.tokenizer.HuggingFaceJsonTokenizer;
import dev.blt.data.tokenizer.Tokenizer;

/**
 * Settings for every modality, so one set of options can drive auto-detection. Defaults: text as whitespace words,
 * code language from the file name, images as 16×16-pixel tiles, audio frames of 160 samples (10 ms at 16 kHz),
 * binary chunks of 4096 bytes, images of at most {@link ImagePreTokenizer#DEFAULT_MAX_PIXELS} pixels.
 */
public final class PreTokenizerOptions {
    private CodeLanguage language;
    private int tileSize = 16;
    private int patchSize;
    private int stride;
    private int frameSize = 160;
    private int chunkSize = 4096;
    private long maxImagePixels = ImagePreTokenizer.DEFAULT_MAX_PIXELS;
    private Tokenizer textTokenizer;

    /** Code language; null means: from the file name, else the line fallback. */
    public PreTokenizerOptions language(CodeLanguage language) {
        this.language = language;
        return this;
    }

    public PreTokenizerOptions tileSize(int pixels) {
        this.tileSize = pixels;
        return this;
    }

    /** Byte patches over the raster instead of tiles; {@code stride} 0 means {@code patchSize}. */
    public PreTokenizerOptions patches(int patchSize, int stride) {
        this.patchSize = patchSize;
        this.stride = stride == 0 ? patchSize : stride;
        return this;
    }

    /**
     * Images whose header declares more pixels (width x height) are refused before decoding; default
     * {@link ImagePreTokenizer#DEFAULT_MAX_PIXELS} (50 million).
     */
    public PreTokenizerOptions maxImagePixels(long pixels) {
        if (pixels <= 0) {
            throw new IllegalArgumentException("pixel budget must be positive, got " + pixels);
        }
        this.maxImagePixels = pixels;
        return this;
    }

    public PreTokenizerOptions frameSize(int samples) {
        this.frameSize = samples;
        return this;
    }

    public PreTokenizerOptions chunkSize(int bytes) {
        this.chunkSize = bytes;
        return this;
    }

    /**
     * Cut text at this tokenizer's boundaries: a {@code tokenizer.json} by its pre-tokenizer's words, others by
     * their token pieces. Null: whitespace words.
     */
    public PreTokenizerOptions textTokenizer(Tokenizer tokenizer) {
        this.textTokenizer = tokenizer;
        return this;
    }

    /** The pre-tokenizer for {@code modality}; {@code fileName} (may be null) picks the code language. */
    public ModalityPreTokenizer create(Modality modality, String fileName) {
        switch (modality) {
            case TEXT:
                if (textTokenizer instanceof HuggingFaceJsonTokenizer) {
                    return TextPreTokenizer.preTokens((HuggingFaceJsonTokenizer) textTokenizer);
                }
                return textTokenizer == null ? TextPreTokenizer.words() : TextPreTokenizer.tokens(textTokenizer);
            case CODE:
                CodeLanguage lang = language != null ? language
                        : fileName == null ? null : CodeLanguage.byFileName(fileName).orElse(null);
                return new CodePreTokenizer(lang);
            case IMAGE:
                return (patchSize > 0 ? ImagePreTokenizer.patches(patchSize, stride) : ImagePreTokenizer.tiles(tileSize))
                        .withMaxPixels(maxImagePixels);
            case AUDIO:
                return new AudioPreTokenizer(frameSize);
            case PDF:
                return new PdfPreTokenizer();
            case BINARY:
                return new BinaryPreTokenizer(chunkSize);
            default:
                throw new IllegalArgumentException("no pre-tokenizer for " + modality);
        }
    }

    /** The pre-tokenizer auto-detection picks for {@code data}. */
    public ModalityPreTokenizer forDetection(Detection detection, String fileName) {
        if (detection.modality() == Modality.CODE && language == null && detection.language() != null) {
            return new CodePreTokenizer(detection.language());
        }
        return create(detection.modality(), fileName);
    }
}
