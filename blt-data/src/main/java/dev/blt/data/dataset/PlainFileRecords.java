package dev.blt.data.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;

/** A file that is one document of raw bytes (any modality); it is read only by the shard that owns it. */
final class PlainFileRecords implements FileRecords {
    private final InputFile file;
    private final SourceOptions options;
    private boolean done;

    PlainFileRecords(InputFile file, SourceOptions options) {
        this.file = file;
        this.options = options;
    }

    @Override
    public boolean advance() {
        boolean first = !done;
        done = true;
        return first;
    }

    @Override
    public Document decode(long ordinal) throws BadFileException, BadRecordException {
        byte[] bytes;
        try {
            long size = Files.size(file.path());
            if (size > options.maxDocumentBytes()) {
                throw new BadRecordException(null, size + " bytes, more than the maximum " + options.maxDocumentBytes());
            }
            bytes = Files.readAllBytes(file.path());
        } catch (IOException e) {
            throw new BadFileException("cannot read: " + ArrowFiles.describe(e), e);
        }
        if (bytes.length == 0) {
            throw new BadRecordException(null, "empty file (0 bytes)");
        }
        return new Document(file.idBase(), file.name(), 0, ordinal, bytes, null, Map.of());
    }

    @Override
    public void close() {
        // nothing held open: the file is read whole in decode
    }
}
