package dev.blt.data.dataset;

import org.apache.arrow.compression.CommonsCompressionFactory;
import org.apache.arrow.dataset.file.FileFormat;
import org.apache.arrow.dataset.file.FileSystemDatasetFactory;
import org.apache.arrow.dataset.jni.NativeMemoryPool;
import org.apache.arrow.dataset.scanner.ScanOptions;
import org.apache.arrow.dataset.scanner.Scanner;
import org.apache.arrow.dataset.source.Dataset;
import org.apache.arrow.dataset.source.DatasetFactory;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.util.AutoCloseables;
import org.apache.arrow.vector.compression.CompressionCodec;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.types.pojo.Schema;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Opens Parquet files (Arrow Dataset, native) and Arrow IPC files and streams (Arrow Java) as batch readers. */
final class ArrowFiles {
    /** LZ4 and ZSTD record-batch compression (pyarrow writes Feather V2 files with LZ4 by default). */
    private static final CompressionCodec.Factory CODECS = CommonsCompressionFactory.INSTANCE;

    private ArrowFiles() {
    }

    /** Scans only the needed columns, {@code batchSize} rows at a time; see {@link ParquetRecords} for damage. */
    static FileRecords parquet(InputFile file, SourceOptions options, BufferAllocator allocator) throws BadFileException {
        return new ParquetRecords(file, options, allocator, scanParquet(file.path(), file, null, 0, options, allocator));
    }

    /**
     * Scans the Parquet file at {@code path} for the rows of {@code file} (they differ for one row group copied
     * out of it); {@code columns} null: chosen from its schema.
     */
    static ArrowBatchRecords scanParquet(Path path, InputFile file, ArrowColumns columns, long firstRow,
                                         SourceOptions options, BufferAllocator allocator) throws BadFileException {
        List<AutoCloseable> owned = new ArrayList<>();
        try {
            DatasetFactory factory = new FileSystemDatasetFactory(allocator, NativeMemoryPool.getDefault(),
                    FileFormat.PARQUET, path.toAbsolutePath().toUri().toString());
            owned.add(factory);
            Schema schema = factory.inspect();
            ArrowColumns cols = columns != null ? columns : new ArrowColumns(file, schema, options);
            Dataset dataset = factory.finish();
            owned.add(dataset);
            Scanner scanner = dataset.newScan(new ScanOptions(options.batchSize(),
                    Optional.of(cols.projection().toArray(new String[0]))));
            owned.add(scanner);
            return new ArrowBatchRecords(scanner.scanBatches(), cols, owned, firstRow);
        } catch (BadFileException e) {
            AutoCloseables.close(e, closingOrder(null, owned));
            throw e;
        } catch (RuntimeException e) {
            AutoCloseables.close(e, closingOrder(null, owned));
            throw new BadFileException("not a readable Parquet file: " + describe(e), e);
        }
    }

    /** IPC file format when the file starts with {@code ARROW1}, else the stream format. */
    static FileRecords ipc(InputFile file, SourceOptions options, BufferAllocator allocator, boolean fileFormat)
            throws BadFileException {
        ArrowReader reader = null;
        try {
            reader = fileFormat
                    ? new ArrowFileReader(FileChannel.open(file.path(), StandardOpenOption.READ), allocator, CODECS)
                    : new ArrowStreamReader(new BufferedInputStream(Files.newInputStream(file.path()), 1 << 16),
                            allocator, CODECS);
            ArrowColumns columns = new ArrowColumns(file, reader.getVectorSchemaRoot().getSchema(), options);
            return new ArrowBatchRecords(reader, columns, List.of(), 0);
        } catch (BadFileException e) {
            AutoCloseables.close(e, reader);
            throw e;
        } catch (IOException | RuntimeException e) {
            AutoCloseables.close(e, reader);
            throw new BadFileException("not a readable Arrow IPC " + (fileFormat ? "file" : "stream") + ": "
                    + describe(e), e);
        }
    }

    /** The message of a (often native) exception, or its class when it has none. */
    static String describe(Exception e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.strip();
    }

    /** The reader (if any), then the owners in reverse order of creation: the order to close them in. */
    static List<AutoCloseable> closingOrder(AutoCloseable reader, List<AutoCloseable> owned) {
        List<AutoCloseable> all = new ArrayList<>();
        if (reader != null) {
            all.add(reader);
        }
        for (int i = owned.size() - 1; i >= 0; i--) {
            all.add(owned.get(i));
        }
        return all;
    }
}
