package dev.blt.data.dataset;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON Lines, plain, gzip or zstd: one JSON object per line; blank lines are not records. Only the lines of this
 * shard are parsed. The record's row is its line number - 1.
 */
final class JsonlRecords implements FileRecords {
    /** Jackson caps strings at 20 M chars by default; our own limit is {@link SourceOptions#maxDocumentBytes()}. */
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
            .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final InputFile file;
    private final SourceOptions options;
    private final InputStream in;
    private final LineReader lines;
    private long lineNumber;

    JsonlRecords(InputFile file, SourceOptions options) throws BadFileException {
        this.file = file;
        this.options = options;
        try {
            in = Compression.open(file.path());
        } catch (IOException e) {
            throw new BadFileException("cannot open: " + ArrowFiles.describe(e), e);
        }
        lines = new LineReader(in, options.maxDocumentBytes());
    }

    @Override
    public boolean advance() throws BadFileException {
        try {
            do {
                if (!lines.next()) {
                    return false;
                }
                lineNumber++;
            } while (lines.blank());
            return true;
        } catch (IOException e) {
            throw new BadFileException("corrupt or truncated after line " + lineNumber + ": "
                    + ArrowFiles.describe(e), e);
        }
    }

    @Override
    public Document decode(long ordinal) throws BadRecordException {
        String where = "line " + lineNumber;
        if (lines.tooLong()) {
            throw new BadRecordException(where, "longer than the maximum of " + options.maxDocumentBytes() + " bytes");
        }
        JsonNode node;
        try {
            node = JSON.readTree(lines.bytes(), 0, lines.length());
        } catch (JsonProcessingException e) {
            throw new BadRecordException(where, "invalid JSON: " + e.getOriginalMessage()
                    + " (column " + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException("reading a line held in memory", e);
        }
        if (!node.isObject()) {
            throw new BadRecordException(where, "not a JSON object but " + node.getNodeType().toString().toLowerCase());
        }
        String text = text(node, where);
        long row = lineNumber - 1;
        return new Document(id(node, row, where), file.name(), row, ordinal, text.getBytes(StandardCharsets.UTF_8),
                text, fields(node));
    }

    private String text(JsonNode node, String where) throws BadRecordException {
        List<String> candidates = options.textCandidates();
        for (String name : candidates) {
            JsonNode v = node.get(name);
            if (v == null) {
                continue;
            }
            if (!v.isTextual()) {
                throw new BadRecordException(where, "'" + name + "' is " + v.getNodeType().toString().toLowerCase()
                        + ", not a string");
            }
            String text = v.textValue();
            int bad = Utf8.unpairedSurrogate(text);
            if (bad >= 0) {
                throw new BadRecordException(where, "'" + name + "' is not valid Unicode: unpaired surrogate \\u"
                        + Integer.toHexString(text.charAt(bad)) + " at character " + bad);
            }
            return text;
        }
        throw new BadRecordException(where, "no field " + ArrowColumns.quoted(candidates));
    }

    private String id(JsonNode node, long row, String where) throws BadRecordException {
        for (String name : options.idCandidates()) {
            JsonNode v = node.get(name);
            if (v != null && !v.isNull()) {
                return v.isValueNode() ? v.asText() : v.toString();
            }
        }
        if (options.idField() != null) {
            throw new BadRecordException(where, "no id field '" + options.idField() + "'");
        }
        return file.idBase() + "#" + row;
    }

    private Map<String, Object> fields(JsonNode node) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String name : options.fields()) {
            JsonNode v = node.get(name);
            if (v != null && !v.isNull()) {
                out.put(name, plain(v));
            }
        }
        return out;
    }

    /** Strings, integers, floating point numbers and booleans as Java values; objects and arrays as JSON text. */
    private static Object plain(JsonNode v) {
        if (v.isTextual()) {
            return v.textValue();
        }
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return v.longValue();
        }
        if (v.isNumber()) {
            return v.doubleValue();
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        return v.toString();
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing " + file.name(), e);
        }
    }
}
