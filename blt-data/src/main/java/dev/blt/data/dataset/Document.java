package dev.blt.data.dataset;

import java.util.Map;
import java.util.Objects;

/**
 * One document read from a dataset.
 *
 * @param id      stable identifier: the id field of the data when present, otherwise {@code <file id>#<row>}
 *                (for plain files: the file's path relative to the directory or glob base it was found under)
 * @param file    the file the document came from, as resolved from the user's input
 * @param row     0-based index of the record in its file (JSONL: line number - 1; plain files: 0)
 * @param ordinal 0-based position in the whole input, counted before sharding; equal across workers
 * @param bytes   the document's bytes: UTF-8 of {@code text} for text records, raw contents otherwise
 * @param text    the decoded text, or {@code null} for binary documents (plain files, binary columns)
 * @param fields  the extra fields asked for in {@link SourceOptions#fields()} that the record has
 * @param part    where these bytes lie in a file read in parts; {@code null} for a whole record
 */
public record Document(String id, String file, long row, long ordinal, byte[] bytes, String text,
                       Map<String, Object> fields, Part part) {
    public Document {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(bytes, "bytes");
        fields = Map.copyOf(fields);
    }

    /** A whole record. */
    public Document(String id, String file, long row, long ordinal, byte[] bytes, String text,
                    Map<String, Object> fields) {
        this(id, file, row, ordinal, bytes, text, fields, null);
    }

    /**
     * Part {@code index} of a file too long to read whole: its bytes start at {@code offset} of the file, whose
     * document id (as a whole) is {@code wholeId}.
     */
    public record Part(String wholeId, int index, long offset) {
    }

    public boolean hasText() {
        return text != null;
    }

    /** Where the document came from, for messages: {@code file row N}. */
    public String location() {
        return file + " row " + row;
    }

    @Override
    public String toString() {
        return "Document[" + id + ", " + location() + ", " + bytes.length + " bytes]";
    }
}
