package dev.blt.data.dataset;

import java.util.Iterator;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * One lazy pass over the documents of a {@link DocumentSource}. Like {@link java.nio.file.DirectoryStream}, it
 * is iterable once; close it to release files and Arrow memory:
 * <pre>{@code
 * try (DocumentStream docs = Sources.open(inputs, options)) {
 *     for (Document d : docs) { ... }
 * }
 * }</pre>
 * Errors in the data surface as {@link DatasetException} from the iterator (policy {@link OnError#FAIL}) or go to
 * the options' {@link BadInputListener} ({@link OnError#SKIP_AND_REPORT}).
 */
public interface DocumentStream extends Iterable<Document>, AutoCloseable {
    /** The documents; may be called once. */
    @Override
    Iterator<Document> iterator();

    /** Records and files skipped so far (reported to the listener), in this stream's shard. */
    long skipped();

    @Override
    void close();

    /** The documents as a sequential {@link Stream}; closing the stream closes this. */
    default Stream<Document> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator(),
                Spliterator.ORDERED | Spliterator.NONNULL), false).onClose(this::close);
    }
}
