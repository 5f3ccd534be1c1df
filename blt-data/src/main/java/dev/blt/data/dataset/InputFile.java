package dev.blt.data.dataset;

import java.nio.file.Path;

/**
 * A file to read.
 *
 * @param path   where it is
 * @param idBase its name in ids: the path relative to the directory or glob base it was found under, or the path
 *               as given; {@code /} separated, so ids do not depend on the machine
 */
public record InputFile(Path path, String idBase) {
    /** How documents name their file ({@link Document#file()}). */
    public String name() {
        return path.toString();
    }
}
