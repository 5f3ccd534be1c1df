package dev.blt.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blt.data.format.IngestFormat;
import dev.blt.data.tensors.HalfFloats;
import dev.blt.data.tensors.SafeTensorsWriter;
import dev.blt.data.tokenizer.ByteTokenizer;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.Float2Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArrowEntropyExportTest {
    @TempDir
    Path dir;

    @Test
    void writesUpstreamSchemaInBatchesOf1000AndLeavesOutNonUtf8() throws IOException {
        int docs = 1003;
        StringBuilder manifest = new StringBuilder();
        for (int i = 0; i < docs; i++) {
            byte[] bytes = i == 500 ? new byte[]{(byte) 0xff, 0x41} : ("doc " + i + " é").getBytes(StandardCharsets.UTF_8);
            int[] tokens = ByteTokenizer.encode(bytes, true, true);
            float[] entropies = new float[tokens.length];
            for (int k = 0; k < tokens.length; k++) {
                entropies[k] = (float) (0.001 + (i % 7) * 0.37 + k * 0.1);
            }
            String name = "n" + i;
            new SafeTensorsWriter().metadata(IngestFormat.DOC_ID, "id-" + i)
                    .addInts(IngestFormat.TOKENS, tokens, tokens.length)
                    .addFloats(IngestFormat.ENTROPIES, entropies, entropies.length)
                    .write(dir.resolve(IngestFormat.tensorsFile(name)));
            ObjectNode line = JsonLinesLog.JSON.createObjectNode().put("ordinal", i).put("id", "id-" + i).put("name", name);
            manifest.append(line).append('\n');
        }
        Path m = dir.resolve("manifest.jsonl");
        Files.writeString(m, manifest);

        ArrowEntropyExport.Result r = ArrowEntropyExport.write(dir, m, 0);

        assertEquals(dir.resolve("entropies.shard_0.arrow"), r.file());
        assertEquals(docs - 1, r.rows());
        assertEquals(1, r.leftOut());
        assertTrue(Files.exists(dir.resolve("entropies.shard_0.arrow.complete")));
        try (RootAllocator alloc = new RootAllocator();
             FileChannel ch = FileChannel.open(r.file());
             ArrowFileReader reader = new ArrowFileReader(ch, alloc)) {
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            assertEquals("Schema<sample_id: Utf8 not null, text: Utf8 not null, entropies: List<item: FloatingPoint(HALF)> not null>",
                    root.getSchema().toString());
            List<Integer> batchRows = new ArrayList<>();
            int row = 0;
            for (ArrowBlock block : reader.getRecordBlocks()) {
                reader.loadRecordBatch(block);
                batchRows.add(root.getRowCount());
                VarCharVector ids = (VarCharVector) root.getVector("sample_id");
                VarCharVector text = (VarCharVector) root.getVector("text");
                ListVector list = (ListVector) root.getVector("entropies");
                Float2Vector items = (Float2Vector) list.getDataVector();
                for (int k = 0; k < root.getRowCount(); k++, row++) {
                    int doc = row < 500 ? row : row + 1; // document 500 was left out
                    assertEquals("id-" + doc, new String(ids.get(k), StandardCharsets.UTF_8));
                    String t = new String(text.get(k), StandardCharsets.UTF_8);
                    assertEquals("doc " + doc + " é", t);
                    int start = list.getElementStartIndex(k);
                    int n = list.getElementEndIndex(k) - start;
                    assertEquals(t.getBytes(StandardCharsets.UTF_8).length + 2, n, "upstream: len(entropies) = bytes + 2");
                    for (int j = 0; j < n; j++) {
                        float expected = (float) (0.001 + (doc % 7) * 0.37 + j * 0.1);
                        float got = HalfFloats.f16ToFloat(items.get(start + j));
                        // half precision: 11 significant bits
                        assertEquals(expected, got, Math.abs(expected) / 2048 + 1e-7, "doc " + doc + " position " + j);
                    }
                }
            }
            assertEquals(List.of(1000, 2), batchRows);
        }
    }
}
