package dev.blt.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blt.data.format.IngestFormat;
import dev.blt.data.io.AtomicFiles;
import dev.blt.data.tensors.HalfFloats;
import dev.blt.data.tensors.SafeTensorsFile;
import dev.blt.data.tokenizer.ByteTokenizer;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.Float2Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the finished documents' entropies as an Arrow IPC file in upstream BLT's schema
 * ({@code preprocess_entropies.py}: {@code sample_id} string, {@code text} string, {@code entropies}
 * list&lt;halffloat&gt;, 1,000 rows a record batch), then the empty {@code .complete} marker its reader requires.
 * Built from the per-document outputs after the run, so it is whole and in manifest order however often the run
 * was interrupted. Upstream re-tokenises {@code text}, so documents whose bytes are not valid UTF-8 (images,
 * binary) cannot be represented and are left out.
 */
final class ArrowEntropyExport {
    static final int ROWS_PER_BATCH = 1000;

    static final Schema SCHEMA = new Schema(List.of(
            new Field("sample_id", FieldType.notNullable(ArrowType.Utf8.INSTANCE), null),
            new Field("text", FieldType.notNullable(ArrowType.Utf8.INSTANCE), null),
            new Field("entropies", FieldType.notNullable(ArrowType.List.INSTANCE), List.of(
                    Field.nullable("item", new ArrowType.FloatingPoint(FloatingPointPrecision.HALF))))));

    private ArrowEntropyExport() {
    }

    /** What an export wrote. */
    record Result(Path file, long rows, long leftOut) {
    }

    /** Writes {@code entropies.shard_<shardIndex>.arrow}: upstream's reader globs {@code *.shard_*.arrow}. */
    static Result write(Path dir, Path manifest, int shardIndex) throws IOException {
        Path file = dir.resolve("entropies.shard_" + shardIndex + ".arrow");
        Path marker = file.resolveSibling(file.getFileName() + ".complete");
        Files.deleteIfExists(marker);
        List<JsonNode> done = JsonLinesLog.read(manifest);
        long[] counts = new long[2];
        try (BufferAllocator alloc = new RootAllocator();
             VectorSchemaRoot root = VectorSchemaRoot.create(SCHEMA, alloc)) {
            AtomicFiles.write(file, out -> {
                try (ArrowFileWriter w = new ArrowFileWriter(root, null, Channels.newChannel(new KeepOpen(out)))) {
                    root.allocateNew();
                    w.start();
                    int row = 0;
                    for (JsonNode entry : done) {
                        String name = entry.get(IngestFormat.MANIFEST_NAME).asText();
                        if (!addRow(root, row, dir.resolve(IngestFormat.tensorsFile(name)))) {
                            counts[1]++;
                            continue;
                        }
                        row++;
                        counts[0]++;
                        if (row == ROWS_PER_BATCH) {
                            flush(root, w, row);
                            row = 0;
                        }
                    }
                    if (row > 0) {
                        flush(root, w, row);
                    }
                    w.end();
                }
            });
        }
        AtomicFiles.writeString(marker, "");
        return new Result(file, counts[0], counts[1]);
    }

    private static boolean addRow(VectorSchemaRoot root, int row, Path tensors) throws IOException {
        try (SafeTensorsFile st = SafeTensorsFile.open(tensors)) {
            String text = Utf8Check.decode(ByteTokenizer.decodeBytes(toInts(st.readLongs(IngestFormat.TOKENS))));
            if (text == null) {
                return false;
            }
            float[] entropies = st.readFloats(IngestFormat.ENTROPIES);
            ((VarCharVector) root.getVector("sample_id")).setSafe(row, st.metadata().get(IngestFormat.DOC_ID)
                    .getBytes(StandardCharsets.UTF_8));
            ((VarCharVector) root.getVector("text")).setSafe(row, text.getBytes(StandardCharsets.UTF_8));
            ListVector list = (ListVector) root.getVector("entropies");
            Float2Vector items = (Float2Vector) list.getDataVector();
            int offset = list.startNewValue(row);
            for (int i = 0; i < entropies.length; i++) {
                items.setSafe(offset + i, HalfFloats.floatToF16(entropies[i]));
            }
            list.endValue(row, entropies.length);
            return true;
        }
    }

    private static void flush(VectorSchemaRoot root, ArrowFileWriter w, int rows) throws IOException {
        root.setRowCount(rows); // also sets the list's child count from its offsets
        w.writeBatch();
        root.clear();
        root.allocateNew();
    }

    /** The Arrow writer closes its channel; the atomic write still needs the stream to flush and force it. */
    private static final class KeepOpen extends FilterOutputStream {
        KeepOpen(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

    private static int[] toInts(long[] v) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (int) v[i];
        }
        return out;
    }
}
