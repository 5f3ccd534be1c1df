package dev.blt.data.dataset;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.luben.zstd.ZstdOutputStream;
import org.apache.arrow.compression.CommonsCompressionFactory;
import org.apache.arrow.dataset.file.DatasetFileWriter;
import org.apache.arrow.dataset.file.FileFormat;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.compression.CompressionCodec;
import org.apache.arrow.vector.compression.CompressionUtil;
import org.apache.arrow.vector.compression.NoCompressionCodec;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.ArrowWriter;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** Writes small FineWeb-Edu-shaped Parquet, Arrow IPC and JSONL files for the tests. */
final class TestFiles {
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Arrow Dataset's writer releases the batches it was given from native threads after {@code write} returns, so
     * the allocator it reads from must outlive the call; this one lives as long as the test JVM.
     */
    private static final BufferAllocator PARQUET_WRITER_MEMORY = new RootAllocator();

    private TestFiles() {
    }

    /** The FineWeb-Edu columns we use; {@code textColumn} renames {@code text} to test a missing column. */
    static Schema schema(String textColumn) {
        return new Schema(List.of(
                Field.nullable(textColumn, ArrowType.Utf8.INSTANCE),
                Field.nullable("id", ArrowType.Utf8.INSTANCE),
                Field.nullable("dump", ArrowType.Utf8.INSTANCE),
                Field.nullable("url", ArrowType.Utf8.INSTANCE),
                Field.nullable("token_count", new ArrowType.Int(64, true)),
                new Field("score", FieldType.nullable(new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)), null)));
    }

    /** Fills {@code root} with rows; {@code rawText} (when not null) replaces the text bytes, e.g. with bad UTF-8. */
    static void fill(VectorSchemaRoot root, List<FineWebRow> rows, List<byte[]> rawText) {
        root.allocateNew();
        for (int i = 0; i < rows.size(); i++) {
            FineWebRow r = rows.get(i);
            byte[] text = rawText != null ? rawText.get(i) : r.text() == null ? null : utf8(r.text());
            setString((VarCharVector) root.getVector(0), i, text);
            setString((VarCharVector) root.getVector(1), i, r.id() == null ? null : utf8(r.id()));
            setString((VarCharVector) root.getVector(2), i, r.dump() == null ? null : utf8(r.dump()));
            setString((VarCharVector) root.getVector(3), i, r.url() == null ? null : utf8(r.url()));
            BigIntVector tc = (BigIntVector) root.getVector(4);
            if (r.tokenCount() == null) {
                tc.setNull(i);
            } else {
                tc.setSafe(i, r.tokenCount());
            }
            Float8Vector sc = (Float8Vector) root.getVector(5);
            if (r.score() == null) {
                sc.setNull(i);
            } else {
                sc.setSafe(i, r.score());
            }
        }
        root.setRowCount(rows.size());
    }

    private static void setString(VarCharVector v, int i, byte[] value) {
        if (value == null) {
            v.setNull(i);
        } else {
            v.setSafe(i, value);
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Batches of rows, each written by {@link #fill}. */
    interface Batches {
        /** Fills the next batch into {@code root}; false when there is none. */
        boolean next(VectorSchemaRoot root);
    }

    static Batches batches(List<FineWebRow> rows, int batchRows, List<byte[]> rawText) {
        Iterator<Integer> starts = java.util.stream.IntStream.iterate(0, s -> s < rows.size(), s -> s + batchRows)
                .boxed().iterator();
        return root -> {
            if (!starts.hasNext()) {
                return false;
            }
            int s = starts.next();
            int e = Math.min(rows.size(), s + batchRows);
            fill(root, rows.subList(s, e), rawText == null ? null : rawText.subList(s, e));
            return true;
        };
    }

    static void writeArrow(Path target, Schema schema, Batches batches, boolean fileFormat) throws IOException {
        writeArrow(target, schema, batches, fileFormat, CompressionUtil.CodecType.NO_COMPRESSION);
    }

    /** Arrow IPC, file or stream format, with record batch bodies compressed by {@code codec}. */
    static void writeArrow(Path target, Schema schema, Batches batches, boolean fileFormat,
                           CompressionUtil.CodecType codec) throws IOException {
        IpcOption ipc = IpcOption.DEFAULT;
        CompressionCodec.Factory codecs = codec == CompressionUtil.CodecType.NO_COMPRESSION
                ? NoCompressionCodec.Factory.INSTANCE : CommonsCompressionFactory.INSTANCE;
        try (BufferAllocator alloc = new RootAllocator();
             VectorSchemaRoot root = VectorSchemaRoot.create(schema, alloc);
             FileChannel ch = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                     StandardOpenOption.TRUNCATE_EXISTING);
             ArrowWriter w = fileFormat ? new ArrowFileWriter(root, null, ch, Map.of(), ipc, codecs, codec)
                     : new ArrowStreamWriter(root, null, ch, ipc, codecs, codec)) {
            w.start();
            while (batches.next(root)) {
                w.writeBatch();
            }
            w.end();
        }
    }

    static void writeArrow(Path target, List<FineWebRow> rows, int batchRows, boolean fileFormat) throws IOException {
        writeArrow(target, schema("text"), batches(rows, batchRows, null), fileFormat);
    }

    /**
     * Writes Parquet through Arrow Dataset: the batches go to an IPC stream first, which the native writer reads.
     * The writer names its output {@code data_0} in a directory; it is moved to {@code target}.
     */
    static void writeParquet(Path target, Schema schema, Batches batches) throws IOException {
        Path ipc = Files.createTempFile(target.toAbsolutePath().getParent(), "parquet-src", ".arrows");
        Path dir = Files.createTempDirectory(target.toAbsolutePath().getParent(), "parquet-out");
        try {
            writeArrow(ipc, schema, batches, false);
            try (ArrowStreamReader reader = new ArrowStreamReader(
                         new BufferedInputStream(Files.newInputStream(ipc), 1 << 16), PARQUET_WRITER_MEMORY)) {
                DatasetFileWriter.write(PARQUET_WRITER_MEMORY, reader, FileFormat.PARQUET, dir.toUri().toString());
            }
            Files.move(dir.resolve("data_0"), target);
        } finally {
            Files.deleteIfExists(ipc);
            try (var left = Files.list(dir)) {
                for (Path p : (Iterable<Path>) left::iterator) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }

    static void writeParquet(Path target, List<FineWebRow> rows, int batchRows) throws IOException {
        writeParquet(target, schema("text"), batches(rows, batchRows, null));
    }

    /** One JSON object per line with FineWeb-Edu's field names; compressed by the target's extension. */
    static void writeJsonl(Path target, List<FineWebRow> rows) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (FineWebRow r : rows) {
            ObjectNode o = JSON.createObjectNode();
            o.put("text", r.text());
            o.put("id", r.id());
            o.put("dump", r.dump());
            o.put("url", r.url());
            o.put("token_count", r.tokenCount());
            o.put("score", r.score());
            sb.append(JSON.writeValueAsString(o)).append('\n');
        }
        writeCompressed(target, utf8(sb.toString()));
    }

    static void writeCompressed(Path target, byte[] bytes) throws IOException {
        String name = target.getFileName().toString();
        try (OutputStream raw = Files.newOutputStream(target);
             OutputStream out = name.endsWith(".gz") ? new GZIPOutputStream(raw)
                     : name.endsWith(".zst") ? new ZstdOutputStream(raw) : raw) {
            out.write(bytes);
        }
    }

    /** Reads all documents of a source (failing on bad input) into a list. */
    static List<Document> readAll(List<String> inputs, SourceOptions options) {
        try (DocumentStream docs = Sources.open(inputs, options)) {
            return docs.stream().collect(java.util.stream.Collectors.toList());
        }
    }

    static List<Document> readAll(DocumentSource source) {
        try (DocumentStream docs = source.open()) {
            return docs.stream().collect(java.util.stream.Collectors.toList());
        }
    }
}
