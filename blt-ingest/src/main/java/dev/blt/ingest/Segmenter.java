package dev.blt.ingest;

import dev.blt.data.dataset.Document;
import dev.blt.data.pretokenize.AutoPreTokenizer;
import dev.blt.data.pretokenize.ByteSegment;
import dev.blt.data.pretokenize.Detection;
import dev.blt.data.pretokenize.Modality;
import dev.blt.data.pretokenize.ModalityPreTokenizer;
import dev.blt.data.pretokenize.PreTokenizeException;
import dev.blt.data.pretokenize.PreTokenizerOptions;
import dev.blt.data.pretokenize.SegmentMetadata;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns a document into model input with the modality pre-tokenizers: detects the modality (or takes the forced
 * one), cuts the document into segments and concatenates their bytes, which is what the model reads (pixels for
 * images, page text for PDFs, the bytes themselves for text, code, audio and binaries). Model input longer than a
 * part ({@code partBytes}) is cut into parts, at a segment boundary where one falls in the part's second half, so
 * that the memory one document takes is bounded whatever its length.
 */
final class Segmenter {
    private final Modality forced;
    private final int partBytes;
    private final PreTokenizerOptions options = new PreTokenizerOptions();

    /** One name per origin, not a new string per segment: a text part has a segment per word. */
    private static final Map<SegmentMetadata.Origin, String> ORIGINS = Arrays.stream(SegmentMetadata.Origin.values())
            .collect(Collectors.toUnmodifiableMap(o -> o, o -> o.name().toLowerCase(Locale.ROOT)));

    /** @param forced null: detect each document's modality */
    Segmenter(Modality forced, int partBytes) {
        this.forced = forced;
        this.partBytes = partBytes;
    }

    List<IngestDocument> prepare(Document d) throws DocumentException {
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
        // a part of a file read in parts: origins in the whole file's bytes
        long shift = d.part() == null ? 0 : d.part().offset();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(d.bytes().length);
        List<Segment> segments = new ArrayList<>(pieces.size());
        for (ByteSegment s : pieces) {
            long start = bytes.size();
            bytes.write(s.bytes(), 0, s.size());
            String origin = ORIGINS.get(s.metadata().origin());
            long o = origin.equals(IngestDocument.Part.INPUT) ? shift : 0;
            segments.add(new Segment(s.label(), start, bytes.size(), origin, s.metadata().start() + o,
                    s.metadata().end() + o));
        }
        byte[] input = bytes.toByteArray();
        IngestDocument.Part part = d.part() == null ? null
                : new IngestDocument.Part(d.part().wholeId(), d.part().index(), IngestDocument.Part.INPUT, d.part().offset());
        if (input.length <= partBytes) {
            return List.of(new IngestDocument(d.id(), d.file(), d.row(), d.ordinal(), input, d.bytes().length, m,
                    segments, part, 1));
        }
        return split(d, m, input, segments);
    }

    /** Model input longer than a part, as parts (see the class comment). */
    private List<IngestDocument> split(Document d, Modality m, byte[] input, List<Segment> segments) {
        List<long[]> ranges = new ArrayList<>();
        int next = 0;
        for (long a = 0; a < input.length; ) {
            long b = Math.min(a + partBytes, input.length);
            if (b < input.length) {
                while (next < segments.size() && segments.get(next).end() <= b) {
                    next++;
                }
                long boundary = next > 0 ? segments.get(next - 1).end() : a;
                if (boundary > a + partBytes / 2) {
                    b = boundary;
                }
            }
            ranges.add(new long[]{a, b});
            a = b;
        }
        List<IngestDocument> parts = new ArrayList<>(ranges.size());
        int first = 0;
        for (int k = 0; k < ranges.size(); k++) {
            long a = ranges.get(k)[0];
            long b = ranges.get(k)[1];
            while (first < segments.size() && segments.get(first).end() <= a) {
                first++;
            }
            List<Segment> inPart = new ArrayList<>();
            for (int i = first; i < segments.size() && segments.get(i).start() < b; i++) {
                Segment s = segments.get(i);
                inPart.add(new Segment(s.label(), Math.max(s.start(), a) - a, Math.min(s.end(), b) - a, s.origin(),
                        s.originStart(), s.originEnd()));
            }
            parts.add(new IngestDocument(d.id() + "#part" + k, d.file(), d.row(), d.ordinal(),
                    Arrays.copyOfRange(input, (int) a, (int) b), d.bytes().length, m, inPart,
                    new IngestDocument.Part(d.id(), k, IngestDocument.Part.MODEL_INPUT, a), ranges.size()));
        }
        return parts;
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
