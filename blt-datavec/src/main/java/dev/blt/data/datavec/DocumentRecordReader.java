package dev.blt.data.datavec;

import dev.blt.data.dataset.DatasetException;
import dev.blt.data.dataset.Document;
import dev.blt.data.dataset.DocumentSource;
import dev.blt.data.dataset.DocumentStream;
import dev.blt.data.dataset.SourceOptions;
import dev.blt.data.dataset.Sources;
import org.datavec.api.conf.Configuration;
import org.datavec.api.records.Record;
import org.datavec.api.records.metadata.RecordMetaData;
import org.datavec.api.records.reader.BaseRecordReader;
import org.datavec.api.split.InputSplit;
import org.datavec.api.writable.BytesWritable;
import org.datavec.api.writable.Text;
import org.datavec.api.writable.Writable;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.stream.Collectors;

/**
 * A DataVec {@code RecordReader} over any {@link DocumentSource} (Parquet, JSONL, Arrow IPC, plain files): each
 * record is {@code [Text id, Text text]} or {@code [Text id, BytesWritable bytes]}. Reads lazily, batch by batch,
 * and reads every batch, unlike datavec-arrow's {@code ArrowRecordReader}. Holds open files, so it is not meant to
 * be serialized.
 */
public final class DocumentRecordReader extends BaseRecordReader {
    private static final long serialVersionUID = 1L;

    private final transient SourceOptions options;
    private final Content content;
    private transient DocumentSource source;
    private transient DocumentStream stream;
    private transient Iterator<Document> docs;
    private transient Configuration conf;

    /** Reads {@code source}; no {@code initialize} call is needed. */
    public DocumentRecordReader(DocumentSource source, Content content) {
        this.source = source;
        this.options = null;
        this.content = content;
    }

    /** Reads the files of the split given to {@link #initialize(InputSplit)} with these options. */
    public DocumentRecordReader(SourceOptions options, Content content) {
        this.options = options;
        this.content = content;
    }

    @Override
    public void initialize(InputSplit split) {
        if (options == null) {
            throw new IllegalStateException("this reader was built on a DocumentSource; it takes no InputSplit");
        }
        List<String> paths = Arrays.stream(split.locations()).map(u -> Paths.get(u).toString())
                .collect(Collectors.toList());
        close();
        source = Sources.source(paths, options);
        inputSplit = split;
    }

    @Override
    public void initialize(Configuration conf, InputSplit split) {
        setConf(conf);
        initialize(split);
    }

    @Override
    public boolean hasNext() {
        return documents().hasNext();
    }

    @Override
    public List<Writable> next() {
        return nextRecord().getRecord();
    }

    @Override
    public Record nextRecord() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Document d = docs.next();
        Record r = new org.datavec.api.records.impl.Record(writables(d), new DocumentMetaData(d));
        invokeListeners(r);
        return r;
    }

    private List<Writable> writables(Document d) {
        Writable value;
        if (content == Content.BYTES) {
            value = new BytesWritable(d.bytes());
        } else if (d.hasText()) {
            value = new Text(d.text());
        } else {
            throw new DatasetException(d.location() + ": document '" + d.id()
                    + "' has no text (binary column or plain file); read it with Content.BYTES");
        }
        return List.of(new Text(d.id()), value);
    }

    private Iterator<Document> documents() {
        if (source == null) {
            throw new IllegalStateException("call initialize(InputSplit) first");
        }
        if (docs == null) {
            stream = source.open();
            docs = stream.iterator();
        }
        return docs;
    }

    /** Re-reads the source up to the last record asked for: sources stream, so this costs a scan. */
    @Override
    public List<Record> loadFromMetaData(List<RecordMetaData> metaData) {
        if (source == null) {
            throw new IllegalStateException("call initialize(InputSplit) first");
        }
        Map<Long, List<Integer>> wanted = new HashMap<>();
        for (int i = 0; i < metaData.size(); i++) {
            if (!(metaData.get(i) instanceof DocumentMetaData)) {
                throw new IllegalArgumentException("not metadata of a DocumentRecordReader: " + metaData.get(i));
            }
            wanted.computeIfAbsent(((DocumentMetaData) metaData.get(i)).ordinal(), k -> new ArrayList<>()).add(i);
        }
        Record[] found = new Record[metaData.size()];
        try (DocumentStream all = source.open()) {
            for (Iterator<Document> it = all.iterator(); !wanted.isEmpty() && it.hasNext(); ) {
                Document d = it.next();
                List<Integer> at = wanted.remove(d.ordinal());
                if (at != null) {
                    Record r = new org.datavec.api.records.impl.Record(writables(d), new DocumentMetaData(d));
                    at.forEach(i -> found[i] = r);
                }
            }
        }
        if (!wanted.isEmpty()) {
            throw new IllegalArgumentException("no document with ordinal " + wanted.keySet() + " in this source");
        }
        return Arrays.asList(found);
    }

    @Override
    public Record loadFromMetaData(RecordMetaData metaData) {
        return loadFromMetaData(List.of(metaData)).get(0);
    }

    /** One file's contents as a document of its own: {@code [Text uri, content]}. */
    @Override
    public List<Writable> record(URI uri, DataInputStream in) throws IOException {
        byte[] bytes = in.readAllBytes();
        if (content == Content.BYTES) {
            return List.of(new Text(uri.toString()), new BytesWritable(bytes));
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
            return List.of(new Text(uri.toString()), new Text(text));
        } catch (CharacterCodingException e) {
            throw new IOException(uri + ": not valid UTF-8 text; read it with Content.BYTES", e);
        }
    }

    @Override
    public List<String> getLabels() {
        return null;
    }

    @Override
    public void reset() {
        close();
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public void close() {
        if (stream != null) {
            stream.close();
        }
        stream = null;
        docs = null;
    }

    @Override
    public void setConf(Configuration conf) {
        this.conf = conf;
    }

    @Override
    public Configuration getConf() {
        return conf;
    }
}
