package dev.blt.data.datavec;

/** What the second writable of a record holds. */
public enum Content {
    /** The document's text as a {@link org.datavec.api.writable.Text}; a document without text is an error. */
    TEXT,
    /** The document's bytes as a {@link org.datavec.api.writable.BytesWritable}, for any modality. */
    BYTES
}
