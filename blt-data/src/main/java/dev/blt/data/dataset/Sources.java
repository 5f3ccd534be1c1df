package dev.blt.data.dataset;

import java.util.List;

/**
 * Entry point: documents from files, directories and globs of Parquet, JSONL(.gz/.zst), Arrow IPC or plain files.
 * <pre>{@code
 * SourceOptions options = SourceOptions.defaults().withTextField("text").withIdField("id");
 * try (DocumentStream docs = Sources.source(List.of("/data/fineweb-edu/sample/10BT/*.parquet"), options)
 *         .shard(worker, workers).open()) {
 *     for (Document d : docs) { ... }
 * }
 * }</pre>
 */
public final class Sources {
    private Sources() {
    }

    /**
     * The documents of {@code inputs} (files, directories, globs), in input order, each directory or glob sorted.
     *
     * @throws DatasetException when an input names no file
     */
    public static DocumentSource source(List<String> inputs, SourceOptions options) {
        return new FileSetSource(Inputs.resolve(inputs), options, 0, 1, Long.MAX_VALUE);
    }

    /**
     * The files {@code inputs} name, in the order {@link #source} reads them (for engines that read the files
     * themselves but must number and name documents as this reader does).
     *
     * @throws DatasetException when an input names no file
     */
    public static List<InputFile> files(List<String> inputs) {
        return Inputs.resolve(inputs);
    }

    /** Opens one pass over all documents of {@code inputs}; see {@link #source}. */
    public static DocumentStream open(List<String> inputs, SourceOptions options) {
        return source(inputs, options).open();
    }
}
