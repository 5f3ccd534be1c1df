package dev.blt.ingest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blt.data.format.IngestFormat;
import dev.blt.data.io.AtomicFiles;
import dev.blt.data.tensors.DType;
import dev.blt.data.tensors.SafeTensorsStream;
import dev.blt.model.ScoreSink;
import dev.blt.model.Scores;
import dev.blt.patching.PatchStream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * One document's files while the model scores it. Per-position outputs go to disk chunk by chunk as the scorer
 * hands them over; patches are found as the entropies arrive ({@link PatchStream}) and each patch's mean embedding is
 * written when the patch ends, so memory holds one chunk and one patch sum, never positions x dim; the per-patch
 * scalars wait in a {@link PatchLog} on disk until {@link #finish}. Closing an unfinished output deletes its
 * temporary files.
 */
public final class DocumentOutput implements ScoreSink, AutoCloseable {
    private final DocumentWriter writer;
    private final String name;
    private final IngestDocument doc;
    private final int length;
    private final int dim;
    private final SafeTensorsStream file;
    private final SafeTensorsStream.Tensor embeddings;
    private final SafeTensorsStream.Tensor prominence;
    private final SafeTensorsStream.Tensor entropies;
    private final SafeTensorsStream.Tensor patchMask;
    private final SafeTensorsStream.Tensor patchEmbeddings;
    private final PatchStream patcher;
    private final IntConsumer scored;
    private final double[] patchSum;
    private final float[] patchMean;
    private final PatchLog patchLog;
    private double patchEntropySum;
    private long patchStart = -1;
    private int patchLength;
    private float patchProminence = Float.NEGATIVE_INFINITY;
    private int patches;
    private long done;
    private double entropyMin = Double.POSITIVE_INFINITY;
    private double entropyMax = Double.NEGATIVE_INFINITY;
    private double entropySum;
    private double entropySquares;

    DocumentOutput(DocumentWriter writer, IngestDocument doc, int[] tokens, IntConsumer scored) throws IOException {
        this.writer = writer;
        this.scored = scored;
        this.name = OutputNames.forId(doc.id());
        this.doc = doc;
        this.length = tokens.length;
        this.dim = writer.dim;
        this.patcher = new PatchStream(writer.patching);
        this.patchSum = new double[dim];
        this.patchMean = new float[dim];
        DType dtype = writer.dtype;
        Map<String, String> meta = new HashMap<>(writer.runMetadata);
        meta.put(IngestFormat.DOC_ID, doc.id());
        meta.put(IngestFormat.SOURCE, doc.source());
        meta.put(IngestFormat.ROW, Long.toString(doc.row()));
        meta.put(IngestFormat.METADATA_FILE, IngestFormat.sidecarFile(name));
        file = SafeTensorsStream.create(writer.dir.resolve(IngestFormat.tensorsFile(name)), meta, 16);
        try {
            long s = length;
            embeddings = file.tensor(IngestFormat.EMBEDDINGS, dtype, s, dim);
            prominence = file.tensor(IngestFormat.PROMINENCE, DType.F32, s);
            entropies = file.tensor(IngestFormat.ENTROPIES, DType.F32, s);
            patchMask = file.tensor(IngestFormat.PATCH_MASK, DType.I32, s);
            file.tensor(IngestFormat.TOKENS, DType.I32, s).putInts(0, tokens, 0, length);
            patchEmbeddings = file.rows(IngestFormat.PATCH_EMBEDDINGS, dtype, dim);
            patchLog = new PatchLog(writer.dir.resolve(name + ".patches"));
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    @Override
    public void accept(int from, Scores chunk) {
        try {
            write(from, chunk);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(int from, Scores chunk) throws IOException {
        if (from != done) {
            throw new IllegalStateException(doc.id() + ": chunk at " + from + " after " + done + " positions");
        }
        int n = chunk.length();
        float[] e = chunk.entropies();
        float[] norms = chunk.norms();
        float[] h = chunk.prenorm();
        embeddings.putFloats((long) from * dim, h, 0, n * dim);
        prominence.putFloats(from, norms, 0, n);
        entropies.putFloats(from, e, 0, n);
        int[] starts = new int[n];
        for (int i = 0; i < n; i++) {
            if (patcher.startsPatch(e[i])) {
                endPatch();
                starts[i] = 1;
                patchStart = from + i;
            }
            for (int j = 0; j < dim; j++) {
                patchSum[j] += h[i * dim + j];
            }
            patchLength++;
            patchProminence = Math.max(patchProminence, norms[i]);
            patchEntropySum += e[i];
            entropyMin = Math.min(entropyMin, e[i]);
            entropyMax = Math.max(entropyMax, e[i]);
            entropySum += e[i];
            entropySquares += (double) e[i] * e[i];
        }
        patchMask.putInts(from, starts, 0, n);
        done += n;
        scored.accept(n);
    }

    /**
     * Writes the patch being summed, if any: its mean embedding and, kept for the end, its start, length, max norm
     * and mean entropy.
     */
    private void endPatch() throws IOException {
        if (patchLength == 0) {
            return;
        }
        for (int j = 0; j < dim; j++) {
            patchMean[j] = (float) (patchSum[j] / patchLength);
            patchSum[j] = 0;
        }
        patchEmbeddings.appendRow(patchMean, 0);
        patchLog.add(patchStart, patchLength, patchProminence, (float) (patchEntropySum / patchLength));
        patchEntropySum = 0;
        patches++;
        patchLength = 0;
        patchProminence = Float.NEGATIVE_INFINITY;
    }

    /** Completes both files once every position has arrived. */
    public DocumentWriter.Written finish() throws IOException {
        if (done != length) {
            throw new IllegalStateException(doc.id() + ": " + done + " of " + length + " positions scored");
        }
        endPatch();
        patchLog.writeTo(file);
        List<Kind> kinds = writeSegments();
        file.commit();
        AtomicFiles.writeString(writer.dir.resolve(IngestFormat.sidecarFile(name)),
                DocumentWriter.JSON.writeValueAsString(sidecar(kinds)));
        return new DocumentWriter.Written(name, length, patches);
    }

    /**
     * Segments as five parallel tensors: start and end in the model input, start and end in the origin, and the
     * index of the segment's kind (label and origin) in the sidecar's {@code segment_kinds}.
     */
    private List<Kind> writeSegments() throws IOException {
        List<Segment> segs = doc.segments();
        int n = segs.size();
        long[][] bounds = new long[4][n];
        int[] kind = new int[n];
        List<Kind> kinds = new ArrayList<>();
        Map<Kind, Integer> index = new HashMap<>();
        for (int i = 0; i < n; i++) {
            Segment s = segs.get(i);
            bounds[0][i] = s.start();
            bounds[1][i] = s.end();
            bounds[2][i] = s.originStart();
            bounds[3][i] = s.originEnd();
            kind[i] = index.computeIfAbsent(new Kind(s.label(), s.origin()), k -> {
                kinds.add(k);
                return kinds.size() - 1;
            });
        }
        String[] names = {IngestFormat.SEGMENT_STARTS, IngestFormat.SEGMENT_ENDS, IngestFormat.SEGMENT_ORIGIN_STARTS,
                IngestFormat.SEGMENT_ORIGIN_ENDS};
        for (int b = 0; b < 4; b++) {
            file.tensor(names[b], DType.I64, n).putLongs(0, bounds[b], 0, n);
        }
        file.tensor(IngestFormat.SEGMENT_KINDS, DType.I32, n).putInts(0, kind, 0, n);
        return kinds;
    }

    private record Kind(String label, String origin) {
    }

    private ObjectNode sidecar(List<Kind> kinds) {
        ObjectNode o = DocumentWriter.JSON.createObjectNode();
        o.put(IngestFormat.FORMAT, IngestFormat.CURRENT);
        o.put(IngestFormat.DOC_ID, doc.id());
        o.put(IngestFormat.SOURCE, doc.source());
        o.put(IngestFormat.ROW, doc.row());
        o.put(IngestFormat.ORDINAL, doc.ordinal());
        o.put(IngestFormat.TENSORS_FILE, IngestFormat.tensorsFile(name));
        o.put(IngestFormat.BYTE_LENGTH, doc.inputLength());
        o.put(IngestFormat.MODEL_INPUT_BYTES, doc.bytes().length);
        o.put(IngestFormat.TOKENS, length);
        o.put(IngestFormat.MODALITY, doc.modality().id());
        if (doc.part() != null) {
            o.set(IngestFormat.PART, doc.part().toJson());
        }
        o.put(IngestFormat.SEGMENTS, doc.segments().size());
        ArrayNode k = o.putArray(IngestFormat.SEGMENT_KINDS);
        for (Kind kind : kinds) {
            k.addObject().put(IngestFormat.KIND_LABEL, kind.label()).put(IngestFormat.KIND_ORIGIN, kind.origin());
        }
        o.put(IngestFormat.PATCH_COUNT, patches);
        double mean = length == 0 ? 0 : entropySum / length;
        double std = length == 0 ? 0 : Math.sqrt(Math.max(0, entropySquares / length - mean * mean));
        o.putObject(IngestFormat.ENTROPY_STATS).put("min", length == 0 ? Double.POSITIVE_INFINITY : entropyMin)
                .put("max", length == 0 ? Double.NEGATIVE_INFINITY : entropyMax).put("mean", mean).put("std", std);
        o.put(IngestFormat.MODEL_SHA256, writer.runMetadata.get(IngestFormat.MODEL_SHA256));
        o.set(IngestFormat.PATCHING, DocumentWriter.patchingJson(writer.patching, writer.thresholdSource));
        o.put(IngestFormat.TOOL_VERSION, writer.runMetadata.get(IngestFormat.TOOL_VERSION));
        return o;
    }

    @Override
    public void close() throws IOException {
        try {
            file.close();
        } finally {
            patchLog.close();
        }
    }
}
