package dev.blt.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.blt.data.dataset.DatasetException;
import dev.blt.data.dataset.Document;
import dev.blt.data.dataset.DocumentSource;
import dev.blt.data.dataset.DocumentStream;
import dev.blt.data.dataset.InputFile;
import dev.blt.data.dataset.SourceOptions;
import dev.blt.data.dataset.Sources;
import dev.blt.data.format.IngestFormat;
import dev.blt.data.io.AtomicFiles;
import dev.blt.data.io.EarlierRun;
import dev.blt.model.Precision;
import dev.blt.patching.PatchOptions;
import dev.blt.patching.ThresholdChoice;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code blt ingest} run: streams documents from the sources through the {@link IngestPipeline} and writes
 * each document's outputs, recording finished documents in the manifest so that {@code --resume} can finish the run.
 */
public final class IngestRun {
    /** What a run did; {@code failed} counts documents and input records reported in {@code errors}. */
    public record Summary(long documents, long skipped, long failed, long tokens, long bytes, double seconds,
                          Path errors, ArrowEntropyExport.Result arrow) {
    }

    /** run.json's record of how the threshold was asked for ({@code threshold}, {@code target_patch_size}, ...). */
    static final String THRESHOLD_REQUEST = "threshold_request";

    private final IngestOptions o;
    private final PrintStream err;
    private final boolean terminal;

    public IngestRun(IngestOptions options, PrintStream err, boolean terminal) {
        this.o = options;
        this.err = err;
        this.terminal = terminal;
    }

    public Summary run() throws IOException {
        Path out = o.output();
        // everything that can be refused is refused before anything is created or the model is loaded
        List<InputFile> files;
        try {
            files = Sources.files(o.inputs());
        } catch (DatasetException e) {
            throw new IOException(e.getMessage(), e);
        }
        EarlierRun.requireFolder(out, "--output");
        Path weights = o.weights() != null ? o.weights() : LoadedModel.defaultWeights();
        if (!Files.exists(weights)) {
            throw new IOException(weights + ": weights not found; pass --weights FILE or FOLDER");
        }
        Path manifestFile = out.resolve("manifest" + o.shardSuffix() + ".jsonl");
        Path errorsFile = out.resolve("errors" + o.shardSuffix() + ".jsonl");
        Path runFile = out.resolve("run" + o.shardSuffix() + ".json");
        Path attemptsFile = out.resolve("attempts" + o.shardSuffix() + ".jsonl");
        boolean earlier = Files.exists(manifestFile) || Files.exists(runFile);
        if (earlier && !o.resume() && !o.overwrite()) {
            throw EarlierRun.refusal(out, "ingest run", runFile, "--resume", "choose another --output");
        }
        Files.createDirectories(out);
        try (OutputLock lock = OutputLock.acquire(out.resolve(".ingest" + o.shardSuffix() + ".lock"))) {
            if (earlier && o.overwrite()) {
                removeEarlierRun(out, manifestFile, List.of(manifestFile, errorsFile, runFile, attemptsFile));
            }
            DocumentWriter.removeStaleTempFiles(out);
            // a resumed run retries every unfinished document and re-reads every record: its errors replace the old
            Files.deleteIfExists(errorsFile);
            try (LoadedModel model = LoadedModel.load(o.weights(), o.modelConfig(), o.precision(), o.chunk(),
                    o.streams(), this::warn)) {
                ThresholdChoice threshold = threshold(runFile, model);
                PatchOptions patching = threshold.applyTo(o.patching());
                checkOrRecordSettings(runFile, model, patching, threshold.source());
                return ingest(out, files, model, new DocumentWriter(out, o.dtype(), model, patching,
                        threshold.source()), manifestFile, errorsFile, attemptsFile);
            }
        }
    }

    private Summary ingest(Path out, List<InputFile> files, LoadedModel model, DocumentWriter writer,
                           Path manifestFile, Path errorsFile, Path attemptsFile) throws IOException {
        long t0 = System.nanoTime();
        boolean whole = o.shardCount() == 1 && o.limit() == null;
        Long totalBytes = whole ? Sources.plainFileBytes(files, o.sourceOptions()) : null;
        Progress progress = new Progress(err, o.quiet(), o.progress(), terminal, o.shardCount() == 1 ? o.limit() : null,
                totalBytes, System::nanoTime);
        try (Manifest manifest = Manifest.open(manifestFile); ErrorLog errors = new ErrorLog(errorsFile);
             Attempts attempts = Attempts.open(attemptsFile)) {
            IngestPipeline pipeline = new IngestPipeline(model, o.modality(), o.partBytes(), o.batch(),
                    writer, new Recorder(manifest, errors, progress),
                    attempts);
            SourceOptions so = o.sourceOptions().skipAndReportTo(b -> {
                errors.badInput(b);
                progress.failed(0);
            });
            Map<String, Long> ids = new HashMap<>();
            try (DocumentStream docs = source(o, so).open()) {
                for (Document d : docs) {
                    if (manifest.finished(d.ordinal())) {
                        progress.skipped(d.bytes().length);
                        continue;
                    }
                    Long other = ids.putIfAbsent(d.id(), d.ordinal());
                    Long finishedOther = manifest.ordinalOf(d.id());
                    if (other != null || (finishedOther != null && finishedOther != d.ordinal())) {
                        errors.document(d.id(), d.file(), d.row(), "duplicate document id (also document #"
                                + (other != null ? other : finishedOther) + " of the input); ids must be unique");
                        progress.failed(d.bytes().length);
                        continue;
                    }
                    List<IngestDocument> parts;
                    try {
                        parts = pipeline.prepare(d);
                    } catch (DocumentException e) {
                        errors.document(d.id(), d.file(), d.row(), e.getMessage());
                        progress.failed(d.bytes().length);
                        continue;
                    }
                    for (IngestDocument part : parts) {
                        add(pipeline, part, manifest, attempts, errors, progress);
                    }
                }
            } catch (DatasetException e) {
                throw new IOException(e.getMessage(), e);
            }
            pipeline.flush();
            progress.summary(errorsFile);
            ArrowEntropyExport.Result arrow = null;
            if (o.arrowEntropies()) {
                arrow = ArrowEntropyExport.write(out, manifestFile, o.shardIndex());
                if (!o.quiet()) {
                    err.println("ingest: wrote " + arrow.rows() + " rows to " + arrow.file()
                            + (arrow.leftOut() > 0 ? " (" + arrow.leftOut() + " non-UTF-8 documents left out)" : ""));
                }
            }
            return new Summary(progress.docs(), progress.skippedCount(), errors.count(), progress.tokens(),
                    progress.bytes(), (System.nanoTime() - t0) / 1e9, errorsFile, arrow);
        }
    }

    /** Skips finished parts; a document a crash interrupted before is retried alone, or skipped when it keeps doing so. */
    private static void add(IngestPipeline pipeline, IngestDocument doc, Manifest manifest, Attempts attempts,
                            ErrorLog errors, Progress progress) throws IOException {
        if (manifest.finished(doc.id())) {
            progress.skipped(inputBytes(doc));
            return;
        }
        int interrupted = attempts.interrupted(doc.id());
        if (interrupted >= Attempts.GIVE_UP) {
            errors.document(doc, "the run ended " + interrupted + " times while scoring this document (a crash, a "
                    + "kill or the system's out-of-memory killer); skipped: lower --part-bytes or --batch, or raise "
                    + "the memory, and run with --overwrite");
            progress.failed(inputBytes(doc));
        } else if (interrupted > 0) {
            pipeline.addAlone(doc);
        } else {
            pipeline.add(doc);
        }
    }

    /**
     * The bytes of the input a document stands for: the document as read, a part of a file its own bytes, a part of
     * a model input its share of the document (an image's parts are pixels, not file bytes).
     */
    private static long inputBytes(IngestDocument doc) {
        if (doc.part() == null) {
            return doc.inputLength();
        }
        return doc.part().space().equals(IngestDocument.Part.INPUT) ? doc.bytes().length
                : doc.inputLength() / doc.partsOfOrdinal();
    }

    /** The files an earlier run in {@code out} wrote: its documents (by its manifest) and its bookkeeping. */
    private static void removeEarlierRun(Path out, Path manifestFile, List<Path> bookkeeping) throws IOException {
        for (JsonNode n : JsonLinesLog.read(manifestFile)) {
            DocumentWriter.remove(out, n.get("name").asText());
        }
        for (Path p : bookkeeping) {
            Files.deleteIfExists(p);
        }
    }

    /** The run's documents in its order: the inputs, limited, sharded. */
    static DocumentSource source(IngestOptions o, SourceOptions so) {
        DocumentSource s = Sources.source(o.inputs(), so);
        if (o.limit() != null) {
            s = s.limit(o.limit());
        }
        return o.shardCount() == 1 ? s : s.shard(o.shardIndex(), o.shardCount());
    }

    private void warn(String message) {
        info("warning: " + message);
    }

    private void info(String message) {
        if (!o.quiet()) {
            err.println("ingest: " + message);
        }
    }

    /**
     * The threshold to patch with: a resumed run asked for it the same way takes the one it recorded, so that a
     * calibration is not redone (its documents may have been cut differently since).
     */
    private ThresholdChoice threshold(Path runFile, LoadedModel model) throws IOException {
        if (o.resume() && Files.exists(runFile)) {
            JsonNode before = JsonLinesLog.JSON.readTree(runFile.toFile());
            JsonNode patching = before.path(IngestFormat.PATCHING);
            if (thresholdRequest().equals(before.get(THRESHOLD_REQUEST))
                    && patching.has(DocumentWriter.THRESHOLD_SOURCE)) {
                ThresholdChoice c = new ThresholdChoice(patching.get("threshold").asDouble(),
                        patching.get(DocumentWriter.THRESHOLD_SOURCE).asText());
                info("threshold " + c.threshold() + ", from " + c.source() + ", as recorded by the run being resumed");
                return c;
            }
        }
        return IngestThreshold.choose(o, model, this::info);
    }

    /** How the threshold was asked for, as run.json records it. */
    private JsonNode thresholdRequest() throws IOException {
        ThresholdChoice.Request r = o.threshold();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("threshold", r.threshold());
        m.put("target_patch_size", r.targetPatchSize());
        m.put("calibration_documents", r.calibrates() ? r.documents() : null);
        // as read back from run.json, so that the two compare equal
        return JsonLinesLog.JSON.readTree(JsonLinesLog.JSON.writeValueAsString(m));
    }

    /**
     * Records what determines the outputs; a resumed run must match it, or its documents would differ from
     * those already written.
     */
    private void checkOrRecordSettings(Path runFile, LoadedModel model, PatchOptions patching, String thresholdSource)
            throws IOException {
        ObjectNode now = JsonLinesLog.JSON.createObjectNode();
        now.putPOJO("inputs", o.inputs());
        now.put("text_column", o.textColumn()).put("id_column", o.idColumn()).put("modality", o.modalityName());
        now.put("limit", o.limit()).put("shard", o.shardIndex() + "/" + o.shardCount());
        now.put(IngestFormat.MODEL_SHA256, model.sha256()).put(IngestFormat.PRECISION, o.precision().label())
                .put("dtype", o.dtype().name())
                .put("part_bytes", o.partBytes())
                .put("max_document_bytes", o.maxDocumentBytes());
        now.set(IngestFormat.PATCHING, DocumentWriter.patchingJson(patching, thresholdSource));
        now.set(THRESHOLD_REQUEST, thresholdRequest());
        JsonNode fresh = JsonLinesLog.JSON.readTree(JsonLinesLog.JSON.writeValueAsString(now));
        if (Files.exists(runFile) && o.resume()) {
            JsonNode before = JsonLinesLog.JSON.readTree(runFile.toFile());
            for (Iterator<String> it = fresh.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                // runs recorded before the precision option existed computed in float32
                JsonNode was = k.equals(IngestFormat.PRECISION) && !before.has(k)
                        ? TextNode.valueOf(Precision.FLOAT32.label()) : before.get(k);
                if (!fresh.get(k).equals(was)) {
                    throw new IOException(runFile + ": cannot resume with different settings: " + k + " was "
                            + was + ", now " + fresh.get(k) + "; pass --overwrite to start afresh");
                }
            }
        } else {
            AtomicFiles.writeString(runFile, JsonLinesLog.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(fresh));
        }
    }

    /** Records each written document in the manifest; failures go to the error log. */
    private record Recorder(Manifest manifest, ErrorLog errors, Progress progress) implements IngestPipeline.Sink {
        @Override
        public void written(IngestDocument doc, DocumentWriter.Written w) throws IOException {
            manifest.record(doc, w);
            progress.done(inputBytes(doc), w.tokens());
        }

        @Override
        public void failed(IngestDocument doc, String reason) throws IOException {
            errors.document(doc, reason);
            progress.failed(inputBytes(doc));
        }

        @Override
        public void scored(IngestDocument doc, int positions) {
            progress.scored(positions, (double) positions * inputBytes(doc) / (doc.bytes().length + 2));
        }
    }
}
