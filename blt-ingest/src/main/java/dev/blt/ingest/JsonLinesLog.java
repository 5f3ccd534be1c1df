package dev.blt.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.blt.data.io.OutputException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * An append-only JSON-lines file, each line forced to disk before {@link #append} returns. A crash can leave at
 * most a torn last line; {@link #read} ignores it and {@link #open} cuts it off before appending.
 */
final class JsonLinesLog implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final FileChannel channel;

    private JsonLinesLog(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    static JsonLinesLog open(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ);
        ch.truncate(completeLength(file));
        ch.position(ch.size());
        return new JsonLinesLog(file, ch);
    }

    /** The complete lines of {@code file} (none if it does not exist), parsed. */
    static List<JsonNode> read(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        byte[] all = Files.readAllBytes(file);
        int start = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] == '\n') {
                String line = new String(all, start, i - start, StandardCharsets.UTF_8).trim();
                if (!line.isEmpty()) {
                    try {
                        out.add(JSON.readTree(line));
                    } catch (IOException e) {
                        throw new IOException(file + ": line " + (out.size() + 1) + " is not JSON: " + e.getMessage());
                    }
                }
                start = i + 1;
            }
        }
        return out;
    }

    /** Bytes up to and including the last newline: what survived a crash whole. */
    private static long completeLength(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        int n = all.length;
        while (n > 0 && all[n - 1] != '\n') {
            n--;
        }
        return n;
    }

    synchronized void append(JsonNode record) throws IOException {
        ByteBuffer b = ByteBuffer.wrap((JSON.writeValueAsString(record) + "\n").getBytes(StandardCharsets.UTF_8));
        try {
            while (b.hasRemaining()) {
                channel.write(b);
            }
            channel.force(false);
        } catch (IOException e) {
            throw new OutputException(file, e);
        }
    }

    Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
