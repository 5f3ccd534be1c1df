package dev.blt.ingest;

import dev.blt.data.dataset.Document;
import dev.blt.data.pretokenize.AutoPreTokenizer;
import dev.blt.data.pretokenize.ByteSegment;
import dev.blt.data.pretokenize.Detection;
import dev.blt.data.pretokenize.Modality;
import dev.blt.data.pretokenize.ModalityPreTokenizer;
import dev.blt.data.pretokenize.PreTokenizeException;
import dev.blt.data.pretokenize.PreTokenizerOptions;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns a document into model input with the modality pre-tokenizers: detects the modality (or takes the forced
 * one), cuts the document into segments and concatenates their bytes, which is what the model reads (pixels for
 * images, page text for PDFs, the bytes themselves for text, code, audio and binaries).
 */
final class Segmenter {
    private final Modality forced;
    private final PreTokenizerOptions options = new PreTokenizerOptions();

    /** @param forced null: detect each document's modality */
    Segmenter(Modality forced) {
        this.forced = forced;
    }

    IngestDocument prepare(Document d) throws DocumentException {
        // records of a dataset (text columns) are not named by their file; plain files are, which helps detection
        String fileName = d.hasText() ? null : d.file();
        Modality m;
        ModalityPreTokenizer pre;
        if (forced == null) {
            AutoPreTokenizer auto = new AutoPreTokenizer(options, fileName);
            Detection detection = auto.detect(d.bytes());
            m = detection.modality();
            pre = options.forDetection(detection, fileName);
        } else {
            m = forced;
            pre = options.create(forced, fileName);
        }
        List<ByteSegment> pieces;
        try {
            pieces = pre.preTokenize(d.bytes());
        } catch (PreTokenizeException e) {
            throw new DocumentException(m.id() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new DocumentException(m.id() + ": pre-tokenizer failed: " + e, e);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(d.bytes().length);
        List<Segment> segments = new ArrayList<>(pieces.size());
        for (ByteSegment s : pieces) {
            long start = bytes.size();
            bytes.write(s.bytes(), 0, s.size());
            segments.add(new Segment(s.label(), start, bytes.size(), s.metadata().origin().name().toLowerCase(Locale.ROOT),
                    s.metadata().start(), s.metadata().end()));
        }
        return new IngestDocument(d.id(), d.file(), d.row(), d.ordinal(), bytes.toByteArray(), d.bytes().length, m,
                segments);
    }

    /** {@code auto} (null) or a modality name, as {@code --modality} takes it. */
    static Modality parse(String name) {
        if (name == null || name.equalsIgnoreCase("auto")) {
            return null;
        }
        return Modality.byName(name.trim()).orElseThrow(() -> new IllegalArgumentException(
                "--modality: unknown modality '" + name + "' (auto, " + Modality.names() + ")"));
    }
}
