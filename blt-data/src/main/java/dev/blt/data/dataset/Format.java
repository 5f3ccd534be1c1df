package dev.blt.data.dataset;

/** How to read an input file. */
public enum Format {
    /** By extension, else by magic bytes ({@code PAR1}, {@code ARROW1}); anything else is a plain file. */
    AUTO,
    /** Apache Parquet, e.g. FineWeb-Edu shards. */
    PARQUET,
    /** JSON Lines, optionally {@code .gz} or {@code .zst} compressed. */
    JSONL,
    /** Arrow IPC, file ({@code ARROW1} footer) or stream format (e.g. Hugging Face {@code datasets} cache). */
    ARROW,
    /** Each file is one document of raw bytes, whatever its contents. */
    FILES
}
