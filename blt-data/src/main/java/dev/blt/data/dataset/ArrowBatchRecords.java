package dev.blt.data.dataset;

import org.apache.arrow.util.AutoCloseables;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;

import java.io.IOException;
import java.util.List;

/**
 * The rows of an Arrow batch reader (a Parquet scan, an Arrow IPC file or stream), one batch in memory at a time.
 * Native readers report corrupt data as unchecked exceptions, so those end the file too.
 */
final class ArrowBatchRecords implements FileRecords {
    private final ArrowReader reader;
    private final ArrowColumns columns;
    private final List<AutoCloseable> owned;
    private int batchRows;
    private int index = -1;
    private long row;

    /**
     * @param owned    closed after the reader, last first (e.g. the scanner, then the dataset)
     * @param firstRow the row number in its file of the reader's first row (non-zero for one Parquet row group)
     */
    ArrowBatchRecords(ArrowReader reader, ArrowColumns columns, List<AutoCloseable> owned, long firstRow) {
        this.reader = reader;
        this.columns = columns;
        this.owned = owned;
        this.row = firstRow - 1;
    }

    ArrowColumns columns() {
        return columns;
    }

    @Override
    public boolean advance() throws BadFileException {
        while (index + 1 >= batchRows) {
            try {
                if (!reader.loadNextBatch()) {
                    return false;
                }
                VectorSchemaRoot root = reader.getVectorSchemaRoot();
                columns.bind(root);
                batchRows = root.getRowCount();
                index = -1;
            } catch (IOException | RuntimeException e) {
                throw new BadFileException("unreadable at row " + (row + 1) + ": " + ArrowFiles.describe(e), e);
            }
        }
        index++;
        row++;
        return true;
    }

    @Override
    public Document decode(long ordinal) throws BadRecordException {
        return columns.document(index, row, ordinal);
    }

    @Override
    public void close() {
        // every resource is closed even if one fails; the first failure is thrown, the others suppressed in it
        try {
            AutoCloseables.close(ArrowFiles.closingOrder(reader, owned));
        } catch (Exception e) {
            throw new IllegalStateException("closing Arrow resources: " + ArrowFiles.describe(e), e);
        }
    }
}
