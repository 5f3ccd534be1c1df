package dev.blt.waterfill.io;

import dev.blt.data.format.IngestFormat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Expands the --input paths: a file stands for itself, a directory for its .safetensors and .npz files, sorted. */
public final class InputFiles {
    private InputFiles() {
    }

    public static List<Path> expand(List<Path> inputs) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path p : inputs) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    s.filter(f -> Files.isRegularFile(f) && isInput(f)).sorted().forEach(files::add);
                }
            } else if (Files.isRegularFile(p)) {
                files.add(p);
            } else {
                throw new IOException(p + ": no such file or directory");
            }
        }
        return files;
    }

    static boolean isInput(Path f) {
        String n = f.getFileName().toString();
        return n.endsWith(IngestFormat.TENSORS_SUFFIX) || n.endsWith(".npz");
    }

    /** sphere_&lt;stem&gt;.npz, as the Python script named its outputs. */
    public static String outputName(Path input) {
        String n = input.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return "sphere_" + (dot > 0 ? n.substring(0, dot) : n) + ".npz";
    }
}
