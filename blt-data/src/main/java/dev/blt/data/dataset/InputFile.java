package dev.blt.data.dataset;

import java.nio.file.Path;

/**
 * A file to read, or an entry of an input directory that cannot be read as one.
 *
 * @param path    where it is
 * @param idBase  its name in ids: the path relative to the directory or glob base it was found under, or the path
 *                as given; {@code /} separated, so ids do not depend on the machine; bytes that are not UTF-8 are
 *                escaped as {@link FileNames} says, so distinct files have distinct ids
 * @param problem why the entry cannot be read (a dangling symbolic link, a link loop), reported as bad input when
 *                the entry's turn comes; {@code null} for a file to read
 */
public record InputFile(Path path, String idBase, String problem) {
    public InputFile(Path path, String idBase) {
        this(path, idBase, null);
    }

    /**
     * How documents and bad-input reports name their file ({@link Document#file()}): the path, with bytes that are
     * not UTF-8 escaped as {@code %XX}; {@link FileNames#bytes} gives back the path's bytes.
     */
    public String name() {
        return FileNames.readable(path);
    }
}
