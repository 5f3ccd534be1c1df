package dev.blt.data.dataset;

import org.apache.arrow.memory.BufferAllocator;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;

/**
 * How to read a dataset. Start from {@link #defaults()} and change what you need:
 * {@code SourceOptions.defaults().withTextField("text").withIdField("id").withOnError(OnError.SKIP_AND_REPORT)}.
 *
 * @param format           how to read the inputs ({@link Format#AUTO}: by extension and magic bytes)
 * @param textField        the column or JSON field holding the document; {@code null}: {@code text}, else
 *                         {@code content} (upstream BLT's convention)
 * @param idField          the column or field holding the document id; {@code null}: the first present of
 *                         {@link #DEFAULT_ID_FIELDS} (upstream BLT's {@code sample_id} rule), else file + row
 * @param fields           extra columns or fields to carry into {@link Document#fields()}; absent ones are left out
 * @param batchSize        rows per Arrow batch when scanning Parquet: bounds the memory a stream holds
 * @param maxDocumentBytes larger documents (JSON lines, plain files) are bad input rather than a heap overflow
 * @param onError          what to do with unreadable input
 * @param listener         receives what {@link OnError#SKIP_AND_REPORT} skips (default: a log warning)
 * @param allocator        Arrow memory for Parquet and Arrow IPC; {@code null}: each stream owns one
 * @param partBytes        a plain file longer than this whose beginning is text is read as parts of at most this
 *                         many bytes ({@link Document.Part}), one at a time, so that no file is held whole
 */
public record SourceOptions(Format format, String textField, String idField, List<String> fields, int batchSize,
                            int maxDocumentBytes, OnError onError, BadInputListener listener,
                            BufferAllocator allocator, int partBytes) {
    /** Text fields tried, in order, when {@link #textField()} is not set. */
    public static final List<String> DEFAULT_TEXT_FIELDS = List.of("text", "content");
    /** Id fields tried, in order, when {@link #idField()} is not set (upstream {@code preprocess_entropies.py}). */
    public static final List<String> DEFAULT_ID_FIELDS =
            List.of("sample_id", "title", "qid", "paper_id", "path", "url", "id");

    public SourceOptions {
        Objects.requireNonNull(format, "format");
        fields = List.copyOf(fields);
        Objects.requireNonNull(onError, "onError");
        Objects.requireNonNull(listener, "listener");
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize must be positive: " + batchSize);
        }
        if (maxDocumentBytes <= 0) {
            throw new IllegalArgumentException("maxDocumentBytes must be positive: " + maxDocumentBytes);
        }
        if (partBytes < PlainFileRecords.MIN_PART_BYTES) {
            throw new IllegalArgumentException("partBytes must be at least " + PlainFileRecords.MIN_PART_BYTES + ": "
                    + partBytes);
        }
    }

    public static SourceOptions defaults() {
        return new SourceOptions(Format.AUTO, null, null, List.of(), 1024, 64 << 20, OnError.FAIL,
                problem -> LoggerFactory.getLogger(DocumentSource.class).warn("skipped {}", problem), null, 1 << 20);
    }

    /** The fields tried for the text, in order. */
    public List<String> textCandidates() {
        return textField == null ? DEFAULT_TEXT_FIELDS : List.of(textField);
    }

    /** The fields tried for the id, in order; when none is present the id is file + row. */
    public List<String> idCandidates() {
        return idField == null ? DEFAULT_ID_FIELDS : List.of(idField);
    }

    public SourceOptions withFormat(Format f) {
        return new SourceOptions(f, textField, idField, fields, batchSize, maxDocumentBytes, onError, listener, allocator, partBytes);
    }

    public SourceOptions withTextField(String f) {
        return new SourceOptions(format, f, idField, fields, batchSize, maxDocumentBytes, onError, listener, allocator, partBytes);
    }

    public SourceOptions withIdField(String f) {
        return new SourceOptions(format, textField, f, fields, batchSize, maxDocumentBytes, onError, listener, allocator, partBytes);
    }

    public SourceOptions withFields(List<String> f) {
        return new SourceOptions(format, textField, idField, f, batchSize, maxDocumentBytes, onError, listener, allocator, partBytes);
    }

    public SourceOptions withBatchSize(int n) {
        return new SourceOptions(format, textField, idField, fields, n, maxDocumentBytes, onError, listener, allocator, partBytes);
    }

    public SourceOptions withMaxDocumentBytes(int n) {
        return new SourceOptions(format, textField, idField, fields, batchSize, n, onError, listener, allocator, partBytes);
    }

    public SourceOptions withOnError(OnError e) {
        return new SourceOptions(format, textField, idField, fields, batchSize, maxDocumentBytes, e, listener, allocator, partBytes);
    }

    /** Skip and report bad input to {@code l}. */
    public SourceOptions skipAndReportTo(BadInputListener l) {
        return new SourceOptions(format, textField, idField, fields, batchSize, maxDocumentBytes,
                OnError.SKIP_AND_REPORT, l, allocator, partBytes);
    }

    public SourceOptions withPartBytes(int n) {
        return new SourceOptions(format, textField, idField, fields, batchSize, maxDocumentBytes, onError, listener,
                allocator, n);
    }

    public SourceOptions withAllocator(BufferAllocator a) {
        return new SourceOptions(format, textField, idField, fields, batchSize, maxDocumentBytes, onError, listener, a, partBytes);
    }
}
