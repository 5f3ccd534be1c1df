package dev.blt.data.pretokenize;

import java.util.List;

/** Detects each input's modality ({@link ModalityDetector}) and dispatches to that modality's pre-tokenizer. */
public final class AutoPreTokenizer implements ModalityPreTokenizer {
    private final PreTokenizerOptions options;
    private final String fileName;

    /** {@code fileName} (may be null) helps detection (extensions) and picks the code language. */
    public AutoPreTokenizer(PreTokenizerOptions options, String fileName) {
        this.options = options;
        this.fileName = fileName;
    }

    @Override
    public String modality() {
        return "auto";
    }

    public Detection detect(byte[] data) {
        return ModalityDetector.detect(data, fileName);
    }

    @Override
    public List<ByteSegment> preTokenize(byte[] data) throws PreTokenizeException {
        return options.forDetection(detect(data), fileName).preTokenize(data);
    }
}
