package dev.blt.train.data;

import java.io.IOException;

/**
 * Where training or evaluation documents come from. A source can be opened again and again and yields the same
 * documents in the same order each time, so that epochs repeat and a resumed run can replay its position.
 * This is the seam where streaming dataset readers (Parquet, Arrow, JSONL shards) plug in.
 */
public interface DocumentSource {
    DocumentStream open() throws IOException;

    /** One pass over the documents. */
    interface DocumentStream extends AutoCloseable {
        /** The next document's UTF-8 bytes, or null at the end. */
        byte[] next() throws IOException;

        @Override
        void close() throws IOException;
    }
}
