package dev.blt.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.blt.data.dataset.DatasetException;
import dev.blt.data.dataset.Document;
import dev.blt.data.dataset.DocumentSource;
import dev.blt.data.dataset.DocumentStream;
import dev.blt.data.dataset.SourceOptions;
import dev.blt.data.dataset.Sources;
import dev.blt.data.io.AtomicFiles;
import dev.blt.data.tokenizer.ByteTokenizer;
import dev.blt.model.Output;
import dev.blt.model.Scores;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One {@code blt ingest} run: streams documents from the sources, scores them with the entropy model (batched,
 * long ones streamed in windows by the scorer, never sharing context), patches them and writes each
 * document's outputs, recording finished documents in the manifest so that {@code --resume} can finish the run.
 */
public final class IngestRun {
    private static final Set<Output> OUTPUTS = EnumSet.of(Output.PRENORM, Output.NORMS, Output.ENTROPIES);

    /** What a run did; {@code failed} counts documents and input records reported in {@code errors}. */
    public record Summary(long documents, long skipped, long failed, long tokens, long bytes, double seconds,
                          Path errors, ArrowEntropyExport.Result arrow) {
    }

    private record Item(IngestDocument doc, int[] tokens) {
    }

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
        Files.createDirectories(out);
        Path manifestFile = out.resolve("manifest" + o.shardSuffix() + ".jsonl");
        Path errorsFile = out.resolve("errors" + o.shardSuffix() + ".jsonl");
        Path runFile = out.resolve("run" + o.shardSuffix() + ".json");
        if (!o.resume() && (Files.exists(manifestFile) || Files.exists(runFile))) {
            throw new IOException(out + ": holds an earlier ingest run (" + runFile.getFileName()
                    + "); pass --resume to finish it, or choose an empty directory");
        }
        removeStaleTempFiles(out);
        // a resumed run retries every unfinished document and re-reads every record: its errors replace the old
        Files.deleteIfExists(errorsFile);
        LoadedModel model = LoadedModel.load(o.weights(), o.modelConfig(), o.chunk(), this::warn);
        checkOrRecordSettings(runFile, model);
        long t0 = System.nanoTime();
        Progress progress = new Progress(err, o.quiet(), terminal, o.shardCount() == 1 ? o.limit() : null, System::nanoTime);
        try (Manifest manifest = Manifest.open(manifestFile); ErrorLog errors = new ErrorLog(errorsFile)) {
            Batch batch = new Batch(model, new DocumentWriter(out, o.dtype(), model, o.patching()), manifest, errors,
                    progress);
            SourceOptions so = SourceOptions.defaults().withTextField(o.textColumn()).withIdField(o.idColumn())
                    .skipAndReportTo(b -> {
                        errors.badInput(b);
                        progress.failed();
                    });
            Segmenter segmenter = new Segmenter(o.modality());
            Map<String, Long> ids = new HashMap<>();
            try (DocumentStream docs = source(so).open()) {
                for (Document d : docs) {
                    if (manifest.finished(d.ordinal())) {
                        progress.skipped();
                        continue;
                    }
                    Long other = ids.putIfAbsent(d.id(), d.ordinal());
                    Long finishedOther = manifest.ordinalOf(d.id());
                    if (other != null || finishedOther != null) {
                        errors.document(d.id(), d.file(), d.row(), "duplicate document id (also document #"
                                + (other != null ? other : finishedOther) + " of the input); ids must be unique");
                        progress.failed();
                        continue;
                    }
                    IngestDocument doc;
                    try {
                        doc = segmenter.prepare(d);
                    } catch (DocumentException e) {
                        errors.document(d.id(), d.file(), d.row(), e.getMessage());
                        progress.failed();
                        continue;
                    }
                    batch.add(new Item(doc, ByteTokenizer.encode(doc.bytes(), true, true)));
                }
            } catch (DatasetException e) {
                throw new IOException(e.getMessage(), e);
            }
            batch.flush();
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

    private DocumentSource source(SourceOptions so) {
        DocumentSource s = Sources.source(o.inputs(), so);
        if (o.limit() != null) {
            s = s.limit(o.limit());
        }
        return o.shardCount() == 1 ? s : s.shard(o.shardIndex(), o.shardCount());
    }

    private void warn(String message) {
        if (!o.quiet()) {
            err.println("ingest: warning: " + message);
        }
    }

    /** A killed run leaves the temporary files of its last atomic writes; they are never valid outputs. */
    private static void removeStaleTempFiles(Path dir) throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, ".*.tmp")) {
            for (Path p : ds) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * Records what determines the outputs; a resumed run must match it, or its documents would differ from
     * those already written.
     */
    private void checkOrRecordSettings(Path runFile, LoadedModel model) throws IOException {
        ObjectNode now = JsonLinesLog.JSON.createObjectNode();
        now.putPOJO("inputs", o.inputs());
        now.put("text_column", o.textColumn()).put("id_column", o.idColumn()).put("modality", o.modalityName());
        now.put("limit", o.limit()).put("shard", o.shardIndex() + "/" + o.shardCount());
        now.put("model_sha256", model.sha256()).put("dtype", o.dtype().name());
        now.set("patching", DocumentWriter.patchingJson(o.patching()));
        JsonNode fresh = JsonLinesLog.JSON.readTree(JsonLinesLog.JSON.writeValueAsString(now));
        if (Files.exists(runFile)) {
            JsonNode before = JsonLinesLog.JSON.readTree(runFile.toFile());
            for (Iterator<String> it = fresh.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!fresh.get(k).equals(before.get(k))) {
                    throw new IOException(runFile + ": cannot resume with different settings: " + k + " was "
                            + before.get(k) + ", now " + fresh.get(k));
                }
            }
        } else {
            AtomicFiles.writeString(runFile, JsonLinesLog.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(fresh));
        }
    }

    /** Documents waiting for a shared forward pass. */
    private final class Batch {
        private final LoadedModel model;
        private final DocumentWriter writer;
        private final Manifest manifest;
        private final ErrorLog errors;
        private final Progress progress;
        private final List<Item> pending = new ArrayList<>();

        Batch(LoadedModel model, DocumentWriter writer, Manifest manifest, ErrorLog errors, Progress progress) {
            this.model = model;
            this.writer = writer;
            this.manifest = manifest;
            this.errors = errors;
            this.progress = progress;
        }

        /**
         * Every document waits for a full batch: the scorer advances all rows of a batch a window at a time, so
         * long documents share forward passes too (a row that ends leaves the batch; the others go on).
         */
        void add(Item item) throws IOException {
            pending.add(item);
            if (pending.size() >= o.batch()) {
                flush();
            }
        }

        void flush() throws IOException {
            if (!pending.isEmpty()) {
                score(new ArrayList<>(pending));
                pending.clear();
            }
        }

        private void score(List<Item> items) throws IOException {
            List<Scores> scores;
            try {
                scores = model.scorer().scoreBatch(items.stream().map(Item::tokens).toList(), OUTPUTS);
            } catch (RuntimeException e) {
                if (items.size() > 1) {
                    // find the one that fails; the others still get their outputs
                    for (Item i : items) {
                        score(List.of(i));
                    }
                } else {
                    errors.document(items.get(0).doc(), "model failed: " + e);
                    progress.failed();
                }
                return;
            }
            for (int k = 0; k < items.size(); k++) {
                Item item = items.get(k);
                DocumentTensors t = DocumentTensors.of(item.tokens, scores.get(k), model.config().dim(), o.patching());
                String name = writer.write(item.doc, t);
                manifest.record(item.doc, name, t);
                progress.done(item.doc.inputLength(), t.length());
            }
        }
    }
}
