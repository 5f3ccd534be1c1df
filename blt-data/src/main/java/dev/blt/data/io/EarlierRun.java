package dev.blt.data.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * What every command that writes a folder does before it writes: refuse an output that is a file, and refuse a
 * folder holding an earlier run with one line naming the way out (resume it, {@code --overwrite} it, or go
 * elsewhere), so that two runs' outputs are never silently mixed.
 */
public final class EarlierRun {
    private EarlierRun() {
    }

    /** Refuses {@code out} when it exists and is not a folder; checked before anything is created. */
    public static void requireFolder(Path out, String option) throws IOException {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IOException(out + ": is a file, not a directory; choose a directory for " + option);
        }
    }

    /**
     * The refusal of a folder that holds an earlier run.
     *
     * @param run       what ran there ("ingest run")
     * @param evidence  the file that shows it (the first of them)
     * @param resume    how to finish that run ("--resume"), or null when the command does not resume
     * @param elsewhere the other way out ("choose another --output")
     */
    public static IOException refusal(Path folder, String run, Path evidence, String resume, String elsewhere) {
        return new IOException(folder + ": holds an earlier " + run + " (" + folder.relativize(evidence) + "); pass "
                + (resume == null ? "" : resume + " to finish it, ") + "--overwrite to replace it, or " + elsewhere);
    }

    /** The files and folders directly in {@code folder} named {@code prefix*suffix}, sorted; none if it is absent. */
    public static List<Path> named(Path folder, String prefix, String suffix) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith(prefix) && n.endsWith(suffix);
            }).sorted().toList();
        }
    }
}
