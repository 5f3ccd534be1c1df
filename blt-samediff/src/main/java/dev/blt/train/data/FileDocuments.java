package dev.blt.train.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.stream.Stream;

/**
 * Documents from local files: a {@code .jsonl} file holds one document per line (field {@code text}, or
 * {@code content} as upstream's preprocessing accepts); with {@code lineDocs} every non-empty line of a
 * {@code .txt} file is a document; any other file is one document. Directories are walked recursively in
 * sorted order, so the document order is reproducible.
 */
public final class FileDocuments implements DocumentSource {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<Path> files;
    private final boolean lineDocs;

    private FileDocuments(List<Path> files, boolean lineDocs) {
        this.files = files;
        this.lineDocs = lineDocs;
    }

    /** Expands directories; a missing input is an error naming it. */
    public static FileDocuments of(List<Path> inputs, boolean lineDocs) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path in : inputs) {
            if (Files.isDirectory(in)) {
                // A corpus folder is often a link, or holds links to where the data lives.
                try (Stream<Path> walk = Files.walk(in, FileVisitOption.FOLLOW_LINKS)) {
                    walk.filter(Files::isRegularFile).sorted().forEach(files::add);
                }
            } else if (Files.isRegularFile(in)) {
                files.add(in);
            } else {
                throw new IOException(in + ": no such file or directory");
            }
        }
        if (files.isEmpty()) {
            throw new IOException(inputs + ": no input files");
        }
        return new FileDocuments(files, lineDocs);
    }

    @Override
    public DocumentStream open() {
        return new FileStream();
    }

    private static boolean isJsonl(Path p) {
        return p.getFileName().toString().endsWith(".jsonl");
    }

    /** Reads file after file; line-oriented files are read lazily. */
    private final class FileStream implements DocumentStream {
        private final Deque<Path> pending = new ArrayDeque<>(files);
        private BufferedReader reader;
        private Path current;
        private long line;

        @Override
        public byte[] next() throws IOException {
            while (true) {
                if (reader != null) {
                    String s;
                    while ((s = reader.readLine()) != null) {
                        line++;
                        byte[] doc = isJsonl(current) ? jsonText(s) : s.isEmpty() ? null : s.getBytes(StandardCharsets.UTF_8);
                        if (doc != null) {
                            return doc;
                        }
                    }
                    reader.close();
                    reader = null;
                }
                if (pending.isEmpty()) {
                    return null;
                }
                current = pending.poll();
                if (isJsonl(current) || (lineDocs && current.getFileName().toString().endsWith(".txt"))) {
                    reader = Files.newBufferedReader(current, StandardCharsets.UTF_8);
                    line = 0;
                } else {
                    return Files.readAllBytes(current);
                }
            }
        }

        private byte[] jsonText(String s) throws IOException {
            if (s.isBlank()) {
                return null;
            }
            JsonNode node;
            try {
                node = JSON.readTree(s);
            } catch (IOException e) {
                throw new IOException(current + ":" + line + ": not valid JSON");
            }
            JsonNode text = node.has("text") ? node.get("text") : node.get("content");
            if (text == null || !text.isTextual()) {
                throw new IOException(current + ":" + line + ": no string field 'text' (or 'content')");
            }
            return text.asText().getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws IOException {
            if (reader != null) {
                reader.close();
            }
        }
    }
}
