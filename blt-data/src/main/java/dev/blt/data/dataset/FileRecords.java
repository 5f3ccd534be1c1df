package dev.blt.data.dataset;

/**
 * The records of one file, one at a time. Moving on is separate from decoding so that a shard can step over the
 * records of other shards without building them.
 */
interface FileRecords extends AutoCloseable {
    /**
     * Moves to the next record; {@code false} at the end of the file.
     *
     * @throws BadRowsException when a run of records is lost (a Parquet row group); the next call goes on after it
     */
    boolean advance() throws BadFileException, BadRowsException;

    /** Builds the current record as a document with the given ordinal. */
    Document decode(long ordinal) throws BadRecordException, BadFileException;

    @Override
    void close();
}
