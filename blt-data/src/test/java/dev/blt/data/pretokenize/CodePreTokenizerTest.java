package dev.blt.data.pretokenize;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.blt.data.pretokenize.SegmentAssertions.assertCoversInput;
import static dev.blt.data.pretokenize.SegmentAssertions.labels;
import static dev.blt.data.pretokenize.SegmentAssertions.texts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CodePreTokenizerTest {

    private static List<ByteSegment> cut(CodeLanguage language, String code) {
        byte[] input = code.getBytes(StandardCharsets.UTF_8);
        List<ByteSegment> segments = new CodePreTokenizer(language).preTokenize(input);
        assertCoversInput(input, segments);
        return segments;
    }

    private static List<String> items(List<ByteSegment> segments) {
        return labels(segments).stream().filter(l -> !l.equals("gap")).toList();
    }

    @Test
    void javaTopLevelItemsAndTheBytesBetween() {
        List<ByteSegment> s = cut(CodeLanguage.JAVA,
                "package a.b;\n\nimport java.util.List;\n\n/** Doc. */\npublic class A {\n    int x;\n}\n");
        assertEquals(List.of("package_declaration", "gap", "import_declaration", "gap", "block_comment", "gap",
                "class_declaration", "gap"), labels(s));
        assertEquals(List.of("package a.b;", "\n\n", "import java.util.List;", "\n\n", "/** Doc. */", "\n",
                "public class A {\n    int x;\n}", "\n"), texts(s));
        assertEquals(6, s.get(6).metadata().fields().get("line"));
        assertEquals(8, s.get(6).metadata().fields().get("end_line"));
    }

    @Test
    void pythonRustJavascriptC() {
        assertEquals(List.of("import_statement", "function_definition", "class_definition", "expression_statement"),
                items(cut(CodeLanguage.PYTHON, "import os\n\n\ndef f(x):\n    return x\n\nclass C:\n    pass\n\nx = 1\n")));
        assertEquals(List.of("use_declaration", "line_comment", "function_item", "struct_item"),
                items(cut(CodeLanguage.RUST, "use std::io;\n\n// c\nfn main() {\n    println!(\"hi\");\n}\n\nstruct S;\n")));
        assertEquals(List.of("import_statement", "function_declaration", "lexical_declaration"),
                items(cut(CodeLanguage.JAVASCRIPT, "import x from 'y';\nfunction f() { return 1; }\nconst a = 2;\n")));
        assertEquals(List.of("preproc_include", "function_definition"),
                items(cut(CodeLanguage.C, "#include <stdio.h>\nint main(void) {\n  return 0;\n}\n")));
    }

    @Test
    void offsetsAreBytesNotCharacters() {
        List<ByteSegment> s = cut(CodeLanguage.PYTHON, "s = 'ü😀'\nt = 1\n");
        assertEquals(List.of("expression_statement", "gap", "expression_statement", "gap"), labels(s));
        assertEquals("s = 'ü😀'", texts(s).get(0));
        // "s = '" 5 bytes, ü 2, 😀 4, "'\n" 2: the second statement starts at byte 13 (character 11)
        assertEquals(13, s.get(2).metadata().start());
    }

    @Test
    void syntaxErrorsAndInvalidUtf8StillCoverEveryByte() {
        List<ByteSegment> s = cut(CodeLanguage.PYTHON, "def f(:\n    pass\n");
        assertTrue(s.stream().anyMatch(x -> Boolean.TRUE.equals(x.metadata().fields().get("syntax_error"))), labels(s).toString());
        byte[] latin1 = "// caf\u00e9\nclass A {}\n".getBytes(StandardCharsets.ISO_8859_1);
        List<ByteSegment> java = new CodePreTokenizer(CodeLanguage.JAVA).preTokenize(latin1);
        assertCoversInput(latin1, java);
        assertTrue(labels(java).contains("class_declaration"), labels(java).toString());
    }

    @Test
    void unknownLanguageFallsBackToLines() {
        byte[] input = "line one\nline two\r\n\nlast".getBytes(StandardCharsets.UTF_8);
        List<ByteSegment> s = CodePreTokenizer.forLanguage("cobol").preTokenize(input);
        assertEquals(List.of("line one\n", "line two\r\n", "\n", "last"), texts(s));
        assertEquals(List.of(1, 2, 3, 4), s.stream().map(x -> x.metadata().fields().get("line")).toList());
        assertCoversInput(input, s);
        assertTrue(new CodePreTokenizer(CodeLanguage.RUST).preTokenize(new byte[0]).isEmpty());
    }
}
