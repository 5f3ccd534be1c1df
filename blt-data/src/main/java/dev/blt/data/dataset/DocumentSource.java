package dev.blt.data.dataset;

/**
 * A re-openable collection of documents: a list of files in one or several formats plus the options to read them.
 * Each {@link #open()} starts a new pass from the first document.
 */
public interface DocumentSource {
    DocumentStream open();

    /**
     * The {@code index}-th of {@code count} disjoint parts whose union is this source: the documents whose
     * {@link Document#ordinal()} is {@code index} modulo {@code count}.
     */
    DocumentSource shard(int index, int count);

    /** The first {@code max} documents (by ordinal, so shards of a limited source partition the same documents). */
    DocumentSource limit(long max);
}
