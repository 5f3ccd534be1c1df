package dev.blt.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blt.data.tensors.HalfFloats;
import dev.blt.patching.PatchOptions;
import org.apache.arrow.dataset.file.DatasetFileWriter;
import org.apache.arrow.dataset.file.FileFormat;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.Float2Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static dev.blt.cli.IngestTestSupport.ingest;
import static dev.blt.cli.IngestTestSupport.jsonLines;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Parquet in (FineWeb-style id/text columns), with --limit, --shard and the Arrow entropy file out. */
class IngestParquetTest {
    /** Arrow Dataset frees the written batches from native threads after write() returns: keep the memory alive. */
    private static final BufferAllocator PARQUET_MEMORY = new RootAllocator();

    @TempDir
    Path tmp;

    @Test
    void parquetShardWithLimitAndUpstreamArrowEntropies() throws IOException {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            texts.add("Row " + i + ": " + "the quick brown fox jumps over the lazy dog ".repeat(1 + i % 3));
        }
        Path parquet = tmp.resolve("fineweb.parquet");
        writeParquet(parquet, texts);
        Path out = tmp.resolve("out");

        assertEquals(0, ingest("--input", parquet.toString(), "--output", out.toString(), "--text-column", "text",
                "--id-column", "id", "--limit", "20", "--shard", "1/2", "--arrow-entropies", "--batch", "3"));

        List<String> expected = new ArrayList<>();
        for (int i = 1; i < 20; i += 2) {
            expected.add("fw-" + i);
        }
        List<JsonNode> manifest = jsonLines(out.resolve("manifest.shard-1-of-2.jsonl"));
        assertEquals(expected, manifest.stream().map(n -> n.get("id").asText()).sorted((a, b) ->
                Integer.compare(Integer.parseInt(a.substring(3)), Integer.parseInt(b.substring(3)))).collect(Collectors.toList()));
        for (String id : expected) {
            IngestedDoc d = IngestedDoc.read(out, id);
            String text = texts.get(Integer.parseInt(id.substring(3)));
            IngestEndToEndTest.checkConsistent(d, text.getBytes(StandardCharsets.UTF_8), PatchOptions.defaults());
            assertEquals("text", d.sidecar().get("modality").asText());
            assertEquals(Long.parseLong(id.substring(3)), d.sidecar().get("row").asLong());
        }

        Path arrow = out.resolve("entropies.shard_1.arrow");
        assertEquals(true, Files.exists(out.resolve("entropies.shard_1.arrow.complete")));
        int rows = 0;
        try (RootAllocator alloc = new RootAllocator(); FileChannel ch = FileChannel.open(arrow);
             ArrowFileReader reader = new ArrowFileReader(ch, alloc)) {
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            for (ArrowBlock block : reader.getRecordBlocks()) {
                reader.loadRecordBatch(block);
                ListVector list = (ListVector) root.getVector("entropies");
                Float2Vector items = (Float2Vector) list.getDataVector();
                for (int r = 0; r < root.getRowCount(); r++, rows++) {
                    String id = new String(((VarCharVector) root.getVector("sample_id")).get(r), StandardCharsets.UTF_8);
                    String text = new String(((VarCharVector) root.getVector("text")).get(r), StandardCharsets.UTF_8);
                    assertEquals(texts.get(Integer.parseInt(id.substring(3))), text);
                    float[] stored = IngestedDoc.read(out, id).entropies();
                    int start = list.getElementStartIndex(r);
                    assertEquals(stored.length, list.getElementEndIndex(r) - start);
                    for (int k = 0; k < stored.length; k++) {
                        assertEquals(HalfFloats.floatToF16(stored[k]), items.get(start + k), id + " entropy " + k);
                    }
                }
            }
        }
        assertEquals(expected.size(), rows);
    }

    private static void writeParquet(Path target, List<String> texts) throws IOException {
        Schema schema = new Schema(List.of(Field.nullable("id", ArrowType.Utf8.INSTANCE),
                Field.nullable("text", ArrowType.Utf8.INSTANCE)));
        ByteArrayOutputStream ipc = new ByteArrayOutputStream();
        try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, PARQUET_MEMORY);
             ArrowStreamWriter w = new ArrowStreamWriter(root, null, ipc)) {
            root.allocateNew();
            VarCharVector ids = (VarCharVector) root.getVector("id");
            VarCharVector text = (VarCharVector) root.getVector("text");
            for (int i = 0; i < texts.size(); i++) {
                ids.setSafe(i, ("fw-" + i).getBytes(StandardCharsets.UTF_8));
                text.setSafe(i, texts.get(i).getBytes(StandardCharsets.UTF_8));
            }
            root.setRowCount(texts.size());
            w.start();
            w.writeBatch();
            w.end();
        }
        Path dir = Files.createTempDirectory(target.getParent(), "parquet");
        try (ArrowStreamReader reader = new ArrowStreamReader(new ByteArrayInputStream(ipc.toByteArray()), PARQUET_MEMORY)) {
            DatasetFileWriter.write(PARQUET_MEMORY, reader, FileFormat.PARQUET, dir.toUri().toString());
        }
        Files.move(dir.resolve("data_0"), target); // the native writer's fixed file name
    }
}
