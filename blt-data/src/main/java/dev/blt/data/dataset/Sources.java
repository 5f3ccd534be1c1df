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
        return new FileSetSource(Inputs.resolve(inputs), 0, options, 0, 1, Long.MAX_VALUE);
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

    /**
     * The documents of some of the {@link #files} of an input, numbered as {@link #source} numbers them over the
     * whole input: {@code firstOrdinal} is the number of records (good or bad) before them, from {@link #records}
     * (for engines that read the files of one input in parallel).
     */
    public static DocumentSource source(List<InputFile> files, long firstOrdinal, SourceOptions options) {
        return new FileSetSource(files, firstOrdinal, options, 0, 1, Long.MAX_VALUE);
    }

    /**
     * How many ordinals {@code file} takes in {@link #source}: its records, good or bad, up to its end or to an
     * error that ends the file. Records are stepped over, not decoded; problems are left to the pass that reads.
     */
    public static long records(InputFile file, SourceOptions options) {
        return FileSetStream.records(file, options);
    }

    /**
     * The bytes of {@code files} when every one is read as plain files (its documents are its own bytes, whole or in
     * parts), so that progress can be counted against a total; null when any is a dataset or cannot be read.
     */
    public static Long plainFileBytes(List<InputFile> files, SourceOptions options) {
        long total = 0;
        for (InputFile f : files) {
            try {
                if (f.problem() != null || FileOpener.format(f, options) != Format.FILES) {
                    return null;
                }
                total += java.nio.file.Files.size(f.path());
            } catch (BadFileException | java.io.IOException e) {
                return null;
            }
        }
        return total;
    }

    /** Opens one pass over all documents of {@code inputs}; see {@link #source}. */
    public static DocumentStream open(List<String> inputs, SourceOptions options) {
        return source(inputs, options).open();
    }
}
