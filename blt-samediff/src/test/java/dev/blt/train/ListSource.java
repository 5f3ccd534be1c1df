package dev.blt.train;

import dev.blt.train.data.DocumentSource;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;

/** Documents from strings, for tests. */
final class ListSource implements DocumentSource {
    private final List<String> docs;

    ListSource(List<String> docs) {
        this.docs = docs;
    }

    @Override
    public DocumentStream open() {
        Iterator<String> it = docs.iterator();
        return new DocumentStream() {
            @Override
            public byte[] next() {
                return it.hasNext() ? it.next().getBytes(StandardCharsets.UTF_8) : null;
            }

            @Override
            public void close() {
            }
        };
    }
}
