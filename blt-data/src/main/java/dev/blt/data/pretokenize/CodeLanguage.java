package dev.blt.data.pretokenize;

import org.treesitter.TSLanguage;
import org.treesitter.TreeSitterC;
import org.treesitter.TreeSitterJava;
import org.treesitter.TreeSitterJavascript;
import org.treesitter.TreeSitterPython;
import org.treesitter.TreeSitterRust;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/** Programming languages with a bundled tree-sitter grammar ({@code io.github.bonede}). */
public enum CodeLanguage {
    JAVA(TreeSitterJava::new, "java"),
    PYTHON(TreeSitterPython::new, "py", "pyi"),
    RUST(TreeSitterRust::new, "rs"),
    JAVASCRIPT(TreeSitterJavascript::new, "js", "mjs", "cjs", "jsx"),
    C(TreeSitterC::new, "c", "h");

    private final Supplier<TSLanguage> grammar;
    private final List<String> extensions;

    CodeLanguage(Supplier<TSLanguage> grammar, String... extensions) {
        this.grammar = grammar;
        this.extensions = List.of(extensions);
    }

    /** Loads the grammar (and its native library on first use). */
    TSLanguage grammar() {
        return grammar.get();
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code java}, {@code python}, ... or a file extension such as {@code rs}; empty for other languages. */
    public static Optional<CodeLanguage> byName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (CodeLanguage l : values()) {
            if (l.id().equals(n) || l.extensions.contains(n)) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }

    /** The language a file name's extension says, if it is one of ours. */
    public static Optional<CodeLanguage> byFileName(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot < 0 ? Optional.empty() : byName(fileName.substring(dot + 1));
    }
}
