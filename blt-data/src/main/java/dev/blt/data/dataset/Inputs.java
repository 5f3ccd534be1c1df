package dev.blt.data.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Turns the user's inputs (files, directories, globs such as {@code data/*.parquet} or {@code src/**.java}) into
 * the ordered list of files to read: inputs in the order given, each directory or glob sorted by relative path, so
 * every worker sees the same order. Files and directories whose name starts with {@code .} are left out of
 * directories and globs ({@code .git}, {@code .complete} markers).
 */
final class Inputs {
    private Inputs() {
    }

    static List<InputFile> resolve(List<String> inputs) {
        if (inputs.isEmpty()) {
            throw new DatasetException("no input given");
        }
        List<InputFile> files = new ArrayList<>();
        for (String input : inputs) {
            files.addAll(isGlob(input) ? glob(input) : path(input));
        }
        return files;
    }

    private static List<InputFile> path(String input) {
        Path p = Paths.get(input);
        if (Files.isDirectory(p)) {
            List<InputFile> found = walk(p, Integer.MAX_VALUE, rel -> true);
            if (found.isEmpty()) {
                throw new DatasetException(input + ": directory holds no files");
            }
            return found;
        }
        if (!Files.exists(p)) {
            throw new DatasetException(input + ": no such file or directory");
        }
        return List.of(new InputFile(p, slashes(p.normalize())));
    }

    /** The glob's fixed leading directories are walked; the rest is matched against paths relative to them. */
    private static List<InputFile> glob(String input) {
        String[] parts = input.replace('\\', '/').split("/", -1);
        int fixed = 0;
        while (fixed < parts.length - 1 && !isGlob(parts[fixed])) {
            fixed++;
        }
        String baseText = fixed == 1 && parts[0].isEmpty() ? "/" : String.join("/", List.of(parts).subList(0, fixed));
        Path base = Paths.get(baseText.isEmpty() ? "." : baseText);
        String pattern = String.join("/", List.of(parts).subList(fixed, parts.length));
        if (!Files.isDirectory(base)) {
            throw new DatasetException(input + ": no such directory " + base);
        }
        PathMatcher matcher = base.getFileSystem().getPathMatcher("glob:" + pattern);
        int depth = pattern.contains("**") ? Integer.MAX_VALUE : parts.length - fixed;
        List<InputFile> found = walk(base, depth, matcher::matches);
        if (found.isEmpty()) {
            throw new DatasetException(input + ": no file matches");
        }
        return found;
    }

    private static List<InputFile> walk(Path base, int depth, PathMatcher accept) {
        try (Stream<Path> s = Files.walk(base, depth)) {
            return s.filter(Files::isRegularFile)
                    .map(base::relativize)
                    .filter(rel -> !hidden(rel) && accept.matches(rel))
                    .sorted(Comparator.comparing(Inputs::slashes))
                    .map(rel -> new InputFile(base.resolve(rel), slashes(rel)))
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new DatasetException(base + ": cannot list: " + e.getMessage());
        } catch (UncheckedIOException e) {
            throw new DatasetException(base + ": cannot list: " + e.getCause().getMessage());
        }
    }

    private static boolean hidden(Path rel) {
        for (Path part : rel) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isGlob(String s) {
        return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0 || s.indexOf('{') >= 0;
    }

    private static String slashes(Path p) {
        return p.toString().replace(p.getFileSystem().getSeparator(), "/");
    }
}
