package dev.blt.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Reads an ingest output with python3 + numpy, an independent safetensors parser: shapes, prominence as the norm of
 * the embeddings, the tokenization and the patch tensors. Skipped when python3 or numpy is missing (the Java checks
 * in IngestEndToEndTest cover the same properties).
 */
class IngestNumpyCrossCheckTest {
    private static final String SCRIPT = String.join("\n",
            "import json, struct, sys",
            "import numpy as np",
            "path, text = sys.argv[1], open(sys.argv[2], encoding='utf-8').read()",
            "raw = open(path, 'rb').read()",
            "n = struct.unpack('<Q', raw[:8])[0]",
            "header = json.loads(raw[8:8 + n]); data = raw[8 + n:]",
            "kinds = {'F32': '<f4', 'I64': '<i8', 'I32': '<i4'}",
            "def t(name):",
            "    h = header[name]; b, e = h['data_offsets']",
            "    return np.frombuffer(data[b:e], dtype=kinds[h['dtype']]).reshape(h['shape'])",
            "emb, prom, ent = t('embeddings'), t('prominence'), t('entropies')",
            "tokens = [1] + [b + 4 for b in text.encode('utf-8')] + [2]",
            "assert t('tokens').tolist() == tokens, 'tokens'",
            "S = len(tokens)",
            "assert emb.shape == (S, 64) and prom.shape == (S,) and ent.shape == (S,), 'shapes'",
            "norms = np.sqrt((emb.astype(np.float64) ** 2).sum(axis=1))",
            "assert np.abs(norms - prom).max() <= 1e-4 * max(1.0, norms.max()), 'prominence'",
            "starts, lengths, mask = t('patch_indices'), t('patch_lengths'), t('patch_mask')",
            "assert starts.tolist() == np.flatnonzero(mask).tolist(), 'mask'",
            "assert lengths.sum() == S and starts[0] == 0, 'lengths'",
            "assert (np.diff(starts) == lengths[:-1]).all(), 'contiguous'",
            "pe = t('patch_embeddings')",
            "means = np.stack([emb[s:s + l].astype(np.float64).mean(axis=0) for s, l in zip(starts, lengths)])",
            "assert np.abs(pe - means).max() <= 1e-5 * max(1.0, np.abs(means).max()), 'patch embeddings'",
            "pp = np.array([prom[s:s + l].max() for s, l in zip(starts, lengths)])",
            "assert (t('patch_prominence') == pp).all(), 'patch prominence'",
            "assert header['__metadata__']['doc_id'] == 'para'",
            "print('ok')");

    @TempDir
    Path tmp;

    @Test
    void numpyAgreesWithTheStoredTensors() throws Exception {
        Assumptions.assumeTrue(Python.hasNumpy(), "python3 with numpy not available");
        String text = IngestTestSupport.fixtureText("para");
        Path docs = IngestTestSupport.jsonl(tmp.resolve("d.jsonl"), Map.of("para", text));
        Path out = tmp.resolve("out");
        assertEquals(0, IngestTestSupport.ingest("--input", docs.toString(), "--output", out.toString(), "--chunk", "50",
                "--dtype", "f32"));
        Path script = tmp.resolve("check.py");
        Files.writeString(script, SCRIPT);
        Path textFile = tmp.resolve("text.txt");
        Files.writeString(textFile, text, StandardCharsets.UTF_8);
        Python.Result r = Python.run(tmp, Duration.ofMinutes(1), script.toString(),
                out.resolve("para.safetensors").toString(), textFile.toString());
        assertEquals("ok", r.out().trim(), r.out() + r.err());
        assertEquals(0, r.exit());
    }
}
