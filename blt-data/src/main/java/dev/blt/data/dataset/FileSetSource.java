package dev.blt.data.dataset;

import java.util.List;

/**
 * The files resolved from the user's inputs, read with one set of options, optionally sharded and limited.
 * {@code firstOrdinal}: the ordinal of the first record of {@code files}, non-zero when they are a part of the input.
 */
record FileSetSource(List<InputFile> files, long firstOrdinal, SourceOptions options, int shardIndex, int shardCount,
                     long limit) implements DocumentSource {
    FileSetSource {
        files = List.copyOf(files);
    }

    @Override
    public DocumentStream open() {
        return new FileSetStream(this);
    }

    @Override
    public DocumentSource shard(int index, int count) {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("shard " + index + " of " + count + ": need 0 <= index < count");
        }
        if (shardCount != 1) {
            throw new IllegalStateException("already shard " + shardIndex + " of " + shardCount);
        }
        return new FileSetSource(files, firstOrdinal, options, index, count, limit);
    }

    @Override
    public DocumentSource limit(long max) {
        if (max < 0) {
            throw new IllegalArgumentException("negative limit " + max);
        }
        return new FileSetSource(files, firstOrdinal, options, shardIndex, shardCount, Math.min(limit, max));
    }
}
