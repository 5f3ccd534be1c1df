package dev.blt.spark;

import dev.blt.data.dataset.Document;
import dev.blt.ingest.DocumentException;
import dev.blt.ingest.DocumentWriter;
import dev.blt.ingest.IngestDocument;
import dev.blt.ingest.IngestOptions;
import dev.blt.ingest.IngestPipeline;
import dev.blt.ingest.IngestSettings;
import dev.blt.patching.ThresholdChoice;
import dev.blt.ingest.OutputNames;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.TaskCompletionListener;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * One partition of the ingest, on an executor: each document of {@link InputTable} goes through the same
 * {@link IngestPipeline} and {@link DocumentWriter} as {@code blt ingest}, with the executor's model. A document
 * whose files already exist is skipped before any work, which makes a resubmitted job (or a retried task) finish
 * what a failed one left. Yields one {@link #SCHEMA} row per document, lazily: a partition is never held in memory.
 */
final class IngestPartition implements MapPartitionsFunction<Row, Row> {
    static final String WRITTEN = "written";
    static final String EXISTING = "existing";
    static final String FAILED = "failed";

    /** The run's record of each document: what happened to it and where its files are. */
    static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.StringType).add("name", DataTypes.StringType)
            .add("source", DataTypes.StringType).add("row", DataTypes.LongType).add("ordinal", DataTypes.LongType)
            .add("status", DataTypes.StringType).add("reason", DataTypes.StringType)
            .add("bytes", DataTypes.LongType).add("tokens", DataTypes.LongType);

    private final IngestSettings settings;
    private final ThresholdChoice threshold;
    private final int failAfter;

    /** @param threshold the driver's choice: every task patches with it */
    IngestPartition(IngestSettings settings, ThresholdChoice threshold, int failAfter) {
        this.settings = settings;
        this.threshold = threshold;
        this.failAfter = failAfter;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) throws Exception {
        IngestOptions o = IngestOptions.of(settings);
        ExecutorModels.Lease lease = ExecutorModels.borrow(o.weights(), o.modelConfig(), o.precision(), o.chunk());
        // returned however the task ends, so a failed task does not leak the model
        TaskContext.get().addTaskCompletionListener((TaskCompletionListener) ctx -> lease.close());
        return new Documents(input, o, lease);
    }

    /** Pulls input rows until the pipeline has finished a document, or the input ends. */
    private final class Documents extends QueuedRows<Row> implements IngestPipeline.Sink {
        private final Iterator<Row> input;
        private final DocumentWriter writer;
        private final IngestPipeline pipeline;
        private boolean flushed;
        private int written;

        Documents(Iterator<Row> input, IngestOptions o, ExecutorModels.Lease lease) {
            this.input = input;
            this.writer = new DocumentWriter(o.output(), o.dtype(), lease.model(), threshold.applyTo(o.patching()),
                    threshold.source());
            // Spark retries a failed task itself: no journal of interrupted batches
            this.pipeline = new IngestPipeline(lease.model(), o.modality(), o.partBytes(), o.batch(), writer, this,
                    IngestPipeline.Journal.NONE);
        }

        @Override
        protected boolean step() throws IOException {
            if (input.hasNext()) {
                accept(input.next());
                return true;
            }
            if (flushed) {
                return false;
            }
            pipeline.flush();
            flushed = true;
            return true;
        }

        private void accept(Row r) throws IOException {
            String source = r.getAs("source");
            String problem = r.getAs("problem");
            if (problem != null) {
                // unreadable input has no id: blt ingest reports it in errors.jsonl, the manifest as a failed row
                ready.add(RowFactory.create(null, null, source, null, null, FAILED, problem, 0L, null));
                return;
            }
            String id = r.getAs("id");
            long row = r.getAs("row");
            long ordinal = r.getAs("ordinal");
            Object text = r.getAs("text");
            long firstOrdinal = r.getAs("first_ordinal");
            if (r.<Boolean>getAs("id_missing") || text == null) {
                String reason = text == null ? "the text column is null" : "the id column is null";
                ready.add(record(id, source, row, ordinal, FAILED, reason, 0, null));
                return;
            }
            byte[] bytes = text instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : (byte[]) text;
            if (firstOrdinal != ordinal) {
                ready.add(record(id, source, row, ordinal, FAILED, "duplicate document id (also document #"
                        + firstOrdinal + " of the input); ids must be unique", bytes.length, null));
            } else if (writer.written(id)) {
                ready.add(record(id, source, row, ordinal, EXISTING, null, bytes.length, null));
            } else {
                // only text documents carry a String: the pre-tokenizers detect the modality of bytes by file name
                String decoded = !r.<Boolean>getAs("utf8") ? null
                        : text instanceof String s ? s : new String(bytes, StandardCharsets.UTF_8);
                Document d = new Document(id, source, row, ordinal, bytes, decoded, Map.of());
                try {
                    for (IngestDocument part : pipeline.prepare(d)) {
                        if (!writer.written(part.id())) {
                            pipeline.add(part);
                        }
                    }
                } catch (DocumentException e) {
                    ready.add(record(id, source, row, ordinal, FAILED, e.getMessage(), bytes.length, null));
                }
            }
        }

        @Override
        public void written(IngestDocument doc, DocumentWriter.Written w) throws IOException {
            ready.add(record(doc, WRITTEN, null, (long) w.tokens()));
            if (failAfter > 0 && ++written >= failAfter) {
                throw new IOException("test hook: failing the task after " + written + " documents");
            }
        }

        @Override
        public void failed(IngestDocument doc, String reason) {
            ready.add(record(doc, FAILED, reason, null));
        }

        private Row record(IngestDocument d, String status, String reason, Long tokens) {
            return record(d.id(), d.source(), d.row(), d.ordinal(), status, reason, d.inputLength(), tokens);
        }

        private Row record(String id, String source, long row, long ordinal, String status, String reason, long bytes,
                           Long tokens) {
            return RowFactory.create(id, OutputNames.forId(id), source, row, ordinal, status, reason, bytes, tokens);
        }
    }
}
