package dev.blt.data.datavec;

import dev.blt.data.dataset.Document;
import org.datavec.api.records.metadata.RecordMetaData;

import java.net.URI;
import java.nio.file.Paths;

/** Where a record came from: its file, row and global ordinal (what {@code loadFromMetaData} looks up). */
public final class DocumentMetaData implements RecordMetaData {
    private static final long serialVersionUID = 1L;

    private final String id;
    private final String file;
    private final long row;
    private final long ordinal;

    DocumentMetaData(Document d) {
        this.id = d.id();
        this.file = d.file();
        this.row = d.row();
        this.ordinal = d.ordinal();
    }

    public String id() {
        return id;
    }

    public long ordinal() {
        return ordinal;
    }

    @Override
    public String getLocation() {
        return file + " row " + row;
    }

    @Override
    public URI getURI() {
        return Paths.get(file).toUri();
    }

    @Override
    public Class<?> getReaderClass() {
        return DocumentRecordReader.class;
    }
}
