package dev.blt.spark;

import dev.blt.data.dataset.BadInput;
import dev.blt.data.dataset.Document;
import dev.blt.data.dataset.DocumentSource;
import dev.blt.data.dataset.DocumentStream;
import dev.blt.data.dataset.Sources;
import dev.blt.ingest.IngestOptions;
import dev.blt.ingest.IngestSettings;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.TaskCompletionListener;

import java.util.Iterator;
import java.util.List;

/**
 * On an executor: the {@link InputTable} rows of one file, streamed by blt-data's reader from the file's first
 * ordinal, so ids, rows and ordinals are those of {@code blt ingest}. Unreadable records and files are skipped
 * and reported as {@code blt ingest} does, here as rows with a {@code problem}. Lazy: a file is never held whole.
 */
final class FileDocuments implements FlatMapFunction<FileInput.Part, Row> {
    static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.StringType).add("source", DataTypes.StringType).add("row", DataTypes.LongType)
            .add("ordinal", DataTypes.LongType).add("text", DataTypes.BinaryType)
            .add("id_missing", DataTypes.BooleanType).add("utf8", DataTypes.BooleanType)
            .add("problem", DataTypes.StringType);

    private final IngestSettings settings;

    FileDocuments(IngestSettings settings) {
        this.settings = settings;
    }

    @Override
    public Iterator<Row> call(FileInput.Part part) {
        return new Rows(part, IngestOptions.of(settings));
    }

    /** The file's documents and, before each, the bad input the reader stepped over to reach it. */
    private static final class Rows extends QueuedRows<Row> {
        private final String name;
        private final Iterator<Document> docs;

        Rows(FileInput.Part part, IngestOptions o) {
            name = part.name();
            DocumentSource source = Sources.source(List.of(part.file()), part.firstOrdinal(),
                    o.sourceOptions().skipAndReportTo(b -> ready.add(problem(name, b))));
            DocumentStream stream = (o.limit() == null ? source : source.limit(o.limit())).open();
            // closed however the task ends: the stream may hold Arrow memory
            TaskContext.get().addTaskCompletionListener((TaskCompletionListener) ctx -> stream.close());
            docs = stream.iterator();
        }

        @Override
        protected boolean step() {
            if (!docs.hasNext()) {
                return false;
            }
            Document d = docs.next();
            ready.add(RowFactory.create(d.id(), name, d.row(), d.ordinal(), d.bytes(), false, d.hasText(), null));
            return true;
        }
    }

    /** Named as {@code blt ingest} names the file, not by the absolute path the reader opened. */
    private static Row problem(String file, BadInput b) {
        String where = new BadInput(file, b.position(), b.message()).toString();
        return RowFactory.create(null, file, null, null, null, false, false, where);
    }
}
