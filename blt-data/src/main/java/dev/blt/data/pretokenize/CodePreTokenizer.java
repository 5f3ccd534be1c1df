package dev.blt.data.pretokenize;

import org.treesitter.TSInputEncoding;
import org.treesitter.TSNode;
import org.treesitter.TSParser;
import org.treesitter.TSTree;
import org.treesitter.TSTreeCursor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Source code cut into its top-level syntax items (functions, classes, imports, statements, comments) with
 * tree-sitter, parsing the raw bytes so ranges are input offsets. The bytes between items (whitespace, anything the
 * grammar leaves outside a node) are kept as {@code gap} segments — the seed dropped them. Without a grammar for the
 * language, the fallback is one segment per line.
 */
public final class CodePreTokenizer implements ModalityPreTokenizer {
    private static final int READ_BUFFER = 1 << 16;

    private final CodeLanguage language;

    /** {@code language} null selects the line fallback. */
    public CodePreTokenizer(CodeLanguage language) {
        this.language = language;
    }

    /** A language name or extension; names without a bundled grammar get the line fallback. */
    public static CodePreTokenizer forLanguage(String name) {
        return new CodePreTokenizer(CodeLanguage.byName(name).orElse(null));
    }

    @Override
    public String modality() {
        return "code";
    }

    @Override
    public List<ByteSegment> preTokenize(byte[] data) {
        List<ByteSegment> out = language == null ? lines(data) : items(data);
        return Segments.checkTiling(out, data.length);
    }

    private List<ByteSegment> items(byte[] data) {
        List<ByteSegment> out = new ArrayList<>();
        try (TSParser parser = new TSParser()) {
            parser.setLanguage(language.grammar());
            TSTree tree = parser.parse(new byte[READ_BUFFER], null, (buffer, offset, point) -> {
                int n = Math.max(0, Math.min(buffer.length, data.length - offset));
                System.arraycopy(data, offset, buffer, 0, n);
                return n;
            }, TSInputEncoding.TSInputEncodingUTF8);
            if (tree == null) { // tree-sitter gives up only when cancelled or timed out
                return lines(data);
            }
            // a cursor walks siblings in O(1) each; TSNode.getChild(i) is O(i), quadratic over a large file
            try (tree; TSTreeCursor cursor = new TSTreeCursor(tree.getRootNode())) {
                int pos = 0;
                for (boolean more = cursor.gotoFirstChild(); more; more = cursor.gotoNextSibling()) {
                    TSNode item = cursor.currentNode();
                    int start = Math.max(pos, Math.min(item.getStartByte(), data.length));
                    int end = Math.max(start, Math.min(item.getEndByte(), data.length));
                    if (end == start) {
                        continue; // zero-width nodes (e.g. MISSING tokens inserted by error recovery)
                    }
                    if (start > pos) {
                        out.add(Segments.slice(data, pos, start, "gap", Map.of("language", language.id())));
                    }
                    Map<String, Object> fields = new LinkedHashMap<>();
                    fields.put("language", language.id());
                    fields.put("line", item.getStartPoint().getRow() + 1);
                    fields.put("end_line", item.getEndPoint().getRow() + 1);
                    if (item.hasError()) {
                        fields.put("syntax_error", true);
                    }
                    out.add(Segments.slice(data, start, end, item.getType(), fields));
                    pos = end;
                }
                if (pos < data.length) {
                    out.add(Segments.slice(data, pos, data.length, "gap", Map.of("language", language.id())));
                }
            }
        }
        return out;
    }

    private static List<ByteSegment> lines(byte[] data) {
        List<ByteSegment> out = new ArrayList<>();
        int start = 0;
        int line = 1;
        for (int i = 0; i < data.length; i++) {
            if (data[i] == '\n' || i == data.length - 1) {
                out.add(Segments.slice(data, start, i + 1, "line", Map.of("line", line++)));
                start = i + 1;
            }
        }
        return out;
    }
}
