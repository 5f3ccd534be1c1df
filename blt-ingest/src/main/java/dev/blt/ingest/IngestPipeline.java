package dev.blt.ingest;

import dev.blt.data.dataset.Document;
import dev.blt.data.pretokenize.Modality;
import dev.blt.data.tokenizer.ByteTokenizer;
import dev.blt.model.Output;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The per-document pipeline, whatever drives it ({@code blt ingest} on one machine, the Spark job on many):
 * pre-tokenizes documents, scores them with the entropy model in batches (long ones streamed in windows by the
 * scorer, never sharing context), writes each document's outputs as they are computed ({@link DocumentOutput}) and
 * reports each document to a {@link Sink}. Not thread-safe: one per model and thread.
 *
 * <p>Batches are cut from several batches' worth of waiting documents sorted by length, so that the rows of one
 * forward pass are of similar length: every row of a pass is computed as long as the longest (the others are
 * padded), and documents taken in input order waste much of the work on padding when their lengths vary. Documents
 * therefore reach the sink in that order, not in input order (the manifest records each by its input ordinal).
 *
 * <p>A batch that fails in the model, or runs out of memory, is retried one document at a time, so that only the
 * document that cannot be done is reported failed; a failure to write outputs ends the run.
 */
public final class IngestPipeline {
    private static final Set<Output> OUTPUTS = EnumSet.of(Output.PRENORM, Output.NORMS, Output.ENTROPIES);
    /** How many batches' worth of documents are sorted by length together. */
    private static final int BATCHES_SORTED = 8;
    /** Tokens of waiting documents beyond which they are scored anyway (16 MB of token ids). */
    private static final long TOKENS_WAITING = 1L << 22;

    /** Receives every document added, once: written, or failed with a reason. */
    public interface Sink {
        void written(IngestDocument doc, DocumentWriter.Written written) throws IOException;

        void failed(IngestDocument doc, String reason) throws IOException;

        /** Positions of a document just scored, from the thread that scored them, before the document is written. */
        default void scored(IngestDocument doc, int positions) {
        }
    }

    /** Told which documents a forward pass is about to score, and when it is over: what a crash interrupted. */
    public interface Journal {
        Journal NONE = new Journal() {
            @Override
            public void started(List<IngestDocument> docs) {
            }

            @Override
            public void ended(List<IngestDocument> docs) {
            }
        };

        void started(List<IngestDocument> docs) throws IOException;

        void ended(List<IngestDocument> docs) throws IOException;
    }

    private record Item(IngestDocument doc, int[] tokens) {
    }

    private final LoadedModel model;
    private final Segmenter segmenter;
    private final int batchSize;
    private final DocumentWriter writer;
    private final Sink sink;
    private final Journal journal;
    private final List<Item> pending = new ArrayList<>();
    private long pendingTokens;

    /**
     * @param modality  null: detect each document's
     * @param partBytes model input longer than this is scored as parts of at most this many bytes
     */
    public IngestPipeline(LoadedModel model, Modality modality, int partBytes, int batchSize, DocumentWriter writer,
                          Sink sink, Journal journal) {
        this.model = model;
        this.segmenter = new Segmenter(modality, partBytes);
        this.batchSize = batchSize;
        this.writer = writer;
        this.sink = sink;
        this.journal = journal;
    }

    /**
     * The document as the model reads it (pre-tokenized), as one document or, when longer than a part, several;
     * a document the pre-tokenizers reject throws, and so does one whose pre-tokenizing runs out of memory.
     */
    public List<IngestDocument> prepare(Document d) throws DocumentException {
        try {
            return segmenter.prepare(d);
        } catch (OutOfMemoryError e) {
            throw new DocumentException("out of memory while pre-tokenizing " + d.bytes().length + " bytes; "
                    + "lower --part-bytes or raise the heap (BLT_JAVA_OPTS=-Xmx...)", e);
        }
    }

    /**
     * Every document waits until several batches' worth are there (see the class comment): the scorer advances all
     * rows of a batch a window at a time, so long documents share forward passes too (a row that ends leaves the
     * batch; the others go on).
     */
    public void add(IngestDocument doc) throws IOException {
        Item item = new Item(doc, ByteTokenizer.encode(doc.bytes(), true, true));
        pending.add(item);
        pendingTokens += item.tokens().length;
        if (pending.size() >= batchSize * BATCHES_SORTED || pendingTokens >= TOKENS_WAITING) {
            flush();
        }
    }

    /** Scores {@code doc} now, in a batch of its own: a document that was in flight when a run crashed. */
    public void addAlone(IngestDocument doc) throws IOException {
        score(List.of(new Item(doc, ByteTokenizer.encode(doc.bytes(), true, true))));
    }

    /** Scores the documents still waiting, in batches of similar length, longest first. */
    public void flush() throws IOException {
        List<Item> byLength = new ArrayList<>(pending);
        pending.clear();
        pendingTokens = 0;
        byLength.sort(Comparator.comparingInt((Item i) -> i.tokens().length).reversed());
        for (int from = 0; from < byLength.size(); from += batchSize) {
            score(byLength.subList(from, Math.min(from + batchSize, byLength.size())));
        }
    }

    private void score(List<Item> items) throws IOException {
        List<IngestDocument> docs = items.stream().map(Item::doc).toList();
        journal.started(docs);
        List<DocumentOutput> outputs = new ArrayList<>(items.size());
        try {
            for (Item i : items) {
                outputs.add(writer.open(i.doc(), i.tokens(), n -> sink.scored(i.doc(), n)));
            }
            try {
                model.scorer().scoreBatch(items.stream().map(Item::tokens).toList(), OUTPUTS, outputs);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            } catch (RuntimeException | OutOfMemoryError e) {
                closeAll(outputs);
                outputs.clear();
                retryAlone(items, e);
            }
            for (int k = 0; k < outputs.size(); k++) {
                sink.written(items.get(k).doc(), outputs.get(k).finish());
            }
        } finally {
            closeAll(outputs);
        }
        journal.ended(docs);
    }

    /** After a failed batch: each document in a batch of its own, or, alone already, reported failed. */
    private void retryAlone(List<Item> items, Throwable e) throws IOException {
        if (items.size() > 1) {
            for (Item i : items) {
                score(List.of(i));
            }
        } else {
            sink.failed(items.get(0).doc(), reason(items.get(0), e));
        }
    }

    private static String reason(Item item, Throwable e) {
        if (e instanceof OutOfMemoryError) {
            return "out of memory while scoring " + item.tokens().length + " tokens; lower --part-bytes or raise the "
                    + "heap (BLT_JAVA_OPTS=-Xmx...)";
        }
        return "model failed: " + e;
    }

    private static void closeAll(List<DocumentOutput> outputs) throws IOException {
        for (DocumentOutput o : outputs) {
            o.close();
        }
    }
}
