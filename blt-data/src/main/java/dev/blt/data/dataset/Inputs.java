package dev.blt.data.dataset;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.Paths;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns the user's inputs (files, directories, globs such as {@code data/*.parquet} or {@code src/**.java}) into
 * the ordered list of files to read: inputs in the order given, each directory or glob sorted by relative path, so
 * every worker sees the same order. Files and directories whose name starts with {@code .} are left out of
 * directories and globs ({@code .git}, {@code .complete} markers).
 * <p>
 * Symbolic links inside a directory are followed, to files and to directories. A directory is walked once however
 * many links reach it: the real tree first, then the links in order, so an alias adds nothing. A link that leads
 * back to a directory containing it (a loop), or to nothing (dangling), is listed as an entry with a
 * {@link InputFile#problem()}, which the stream reports as bad input.
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
            throw new DatasetException(input + (Files.isSymbolicLink(p) ? ": " + dangling(p)
                    : ": no such file or directory"));
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
        try {
            return new Walk(base, depth, accept).run();
        } catch (IOException e) {
            throw new DatasetException(FileNames.readable(base) + ": cannot list: " + e.getMessage());
        }
    }

    private static String dangling(Path link) {
        try {
            return "dangling symbolic link to " + FileNames.readable(Files.readSymbolicLink(link));
        } catch (IOException e) {
            return "dangling symbolic link";
        }
    }

    /** One directory or glob base walked; see the class comment for links. */
    private static final class Walk {
        private final Path base;
        private final int depth;
        private final PathMatcher accept;
        private final List<InputFile> found = new ArrayList<>();
        /** Real paths of the directories walked, so that no directory is walked twice. */
        private final Set<Path> walked = new HashSet<>();
        private final Deque<Link> links = new ArrayDeque<>();

        /**
         * A link met while walking, followed once the real tree is done.
         *
         * @param chain real paths of the directories from the base down to the link's directory
         */
        private record Link(Path path, Path rel, List<Path> chain) {
        }

        Walk(Path base, int depth, PathMatcher accept) {
            this.base = base;
            this.depth = depth;
            this.accept = accept;
        }

        List<InputFile> run() throws IOException {
            Path real = base.toRealPath();
            walked.add(real);
            directory(base, null, List.of(real));
            while (!links.isEmpty()) {
                follow(links.poll());
            }
            found.sort(Comparator.comparing(InputFile::idBase));
            return found;
        }

        /** Lists {@code dir} (whose path relative to the base is {@code rel}, null for the base) in name order. */
        private void directory(Path dir, Path rel, List<Path> chain) throws IOException {
            List<Path> entries = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                for (Path entry : ds) {
                    if (!entry.getFileName().toString().startsWith(".")) {
                        entries.add(entry);
                    }
                }
            }
            entries.sort(Comparator.comparing(e -> FileNames.readable(e.getFileName())));
            for (Path entry : entries) {
                Path name = entry.getFileName();
                Path r = rel == null ? name : rel.resolve(name);
                BasicFileAttributes a = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (a.isSymbolicLink()) {
                    links.add(new Link(entry, r, chain));
                } else if (a.isDirectory()) {
                    Path real = chain.get(chain.size() - 1).resolve(name);
                    if (r.getNameCount() < depth && walked.add(real)) {
                        directory(entry, r, append(chain, real));
                    }
                } else if (a.isRegularFile()) {
                    add(entry, r, null);
                }
            }
        }

        private void follow(Link link) throws IOException {
            Path target;
            try {
                target = link.path().toRealPath();
            } catch (NoSuchFileException e) {
                add(link.path(), link.rel(), dangling(link.path()));
                return;
            } catch (FileSystemException e) {
                // e.g. links that lead to each other: "Too many levels of symbolic links"
                add(link.path(), link.rel(), "cannot resolve symbolic link: " + e.getReason());
                return;
            }
            if (Files.isRegularFile(target)) {
                add(link.path(), link.rel(), null);
            } else if (Files.isDirectory(target) && link.rel().getNameCount() < depth) {
                for (Path ancestor : link.chain()) {
                    if (ancestor.startsWith(target)) {
                        found.add(new InputFile(link.path(), slashes(link.rel()), "symbolic link loop: leads to "
                                + FileNames.readable(target) + ", which contains the link"));
                        return;
                    }
                }
                if (walked.add(target)) {
                    directory(link.path(), link.rel(), append(link.chain(), target));
                }
            }
        }

        /** Lists a file, or a bad entry when {@code problem} is set; the glob pattern decides for both. */
        private void add(Path path, Path rel, String problem) {
            if (accept.matches(rel)) {
                found.add(new InputFile(path, slashes(rel), problem));
            }
        }

        private static List<Path> append(List<Path> chain, Path dir) {
            List<Path> longer = new ArrayList<>(chain);
            longer.add(dir);
            return longer;
        }
    }

    private static boolean isGlob(String s) {
        return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0 || s.indexOf('{') >= 0;
    }

    private static String slashes(Path p) {
        return FileNames.readable(p).replace(p.getFileSystem().getSeparator(), "/");
    }
}
