package dev.blt.data.dataset;

import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VariableWidthFieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.Text;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Which columns of an Arrow schema hold the text, the id and the extra fields, and how to read one row of them. */
final class ArrowColumns {
    private final InputFile file;
    private final SourceOptions options;
    private final String textColumn;
    private final boolean textIsString;
    private final List<String> idColumns;
    private final List<String> fieldColumns;
    private final Utf8 utf8 = new Utf8();

    private FieldVector text;
    private final List<FieldVector> ids = new ArrayList<>();
    private final List<FieldVector> fields = new ArrayList<>();

    /** Resolves the columns in {@code schema}; a missing or unusable text or id column makes the file bad. */
    ArrowColumns(InputFile file, Schema schema, SourceOptions options) throws BadFileException {
        this.file = file;
        this.options = options;
        List<String> names = schema.getFields().stream().map(Field::getName).collect(Collectors.toList());
        textColumn = options.textCandidates().stream().filter(names::contains).findFirst()
                .orElseThrow(() -> new BadFileException("no column " + quoted(options.textCandidates())
                        + " (columns: " + String.join(", ", names) + ")"));
        Field textField = schema.findField(textColumn);
        textIsString = isString(textField.getType());
        if (textField.getDictionary() != null || !(textIsString || isBinary(textField.getType()))) {
            throw new BadFileException("column '" + textColumn + "' is " + textField.getType()
                    + (textField.getDictionary() != null ? " (dictionary-encoded)" : "") + ", not a string or binary column");
        }
        idColumns = options.idCandidates().stream().filter(names::contains).collect(Collectors.toList());
        if (options.idField() != null && idColumns.isEmpty()) {
            throw new BadFileException("no id column '" + options.idField() + "' (columns: " + String.join(", ", names) + ")");
        }
        fieldColumns = options.fields().stream().filter(names::contains).collect(Collectors.toList());
    }

    /** The columns to read, for scanners that can project. */
    List<String> projection() {
        List<String> cols = new ArrayList<>();
        cols.add(textColumn);
        for (String c : idColumns) {
            if (!cols.contains(c)) {
                cols.add(c);
            }
        }
        for (String c : fieldColumns) {
            if (!cols.contains(c)) {
                cols.add(c);
            }
        }
        return cols;
    }

    /** Looks the columns up in a newly loaded batch. */
    void bind(VectorSchemaRoot root) throws BadFileException {
        text = vector(root, textColumn);
        ids.clear();
        for (String c : idColumns) {
            ids.add(vector(root, c));
        }
        fields.clear();
        for (String c : fieldColumns) {
            fields.add(vector(root, c));
        }
    }

    Document document(int index, long row, long ordinal) throws BadRecordException {
        String where = "row " + row;
        if (text.isNull(index)) {
            throw new BadRecordException(where, "'" + textColumn + "' is null");
        }
        VariableWidthFieldVector tv = (VariableWidthFieldVector) text;
        if (tv.getValueLength(index) > options.maxDocumentBytes()) {
            throw new BadRecordException(where, "'" + textColumn + "' has " + tv.getValueLength(index)
                    + " bytes, more than the maximum " + options.maxDocumentBytes());
        }
        byte[] bytes = tv.get(index);
        String decoded = null;
        if (textIsString) {
            try {
                decoded = utf8.decode(bytes);
            } catch (Utf8.Malformed e) {
                throw new BadRecordException(where, "'" + textColumn + "' is " + e.getMessage());
            }
        }
        return new Document(id(index, row, where), file.name(), row, ordinal, bytes, decoded, extraFields(index));
    }

    private String id(int index, long row, String where) throws BadRecordException {
        for (FieldVector v : ids) {
            if (!v.isNull(index)) {
                return String.valueOf(plain(v.getObject(index)));
            }
        }
        if (options.idField() != null) {
            throw new BadRecordException(where, "id column '" + options.idField() + "' is null");
        }
        return file.idBase() + "#" + row;
    }

    private Map<String, Object> extraFields(int index) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (FieldVector v : fields) {
            if (!v.isNull(index)) {
                out.put(v.getName(), plain(v.getObject(index)));
            }
        }
        return out;
    }

    /** Arrow's {@link Text} becomes a String; numbers, booleans and byte arrays stay; the rest prints itself. */
    private static Object plain(Object value) {
        if (value instanceof Text || value instanceof CharSequence) {
            return value.toString();
        }
        if (value instanceof Number || value instanceof Boolean || value instanceof byte[]) {
            return value;
        }
        return String.valueOf(value);
    }

    private static FieldVector vector(VectorSchemaRoot root, String name) throws BadFileException {
        FieldVector v = root.getVector(name);
        if (v == null) {
            throw new BadFileException("batch without column '" + name + "'");
        }
        return v;
    }

    private static boolean isString(ArrowType t) {
        return t instanceof ArrowType.Utf8 || t instanceof ArrowType.LargeUtf8 || t instanceof ArrowType.Utf8View;
    }

    private static boolean isBinary(ArrowType t) {
        return t instanceof ArrowType.Binary || t instanceof ArrowType.LargeBinary || t instanceof ArrowType.BinaryView;
    }

    static String quoted(List<String> names) {
        return names.stream().map(n -> "'" + n + "'").collect(Collectors.joining(" or "));
    }
}
