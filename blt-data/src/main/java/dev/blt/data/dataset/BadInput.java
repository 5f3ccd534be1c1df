package dev.blt.data.dataset;

/**
 * A record or file that could not be read.
 *
 * @param file     the file
 * @param position where in the file, e.g. {@code line 12} or {@code row 7}; {@code null} when the whole file is
 *                 affected (cannot be opened, corrupt, empty); then the documents after the problem are lost
 * @param message  what is wrong
 */
public record BadInput(String file, String position, String message) {
    public boolean wholeFile() {
        return position == null;
    }

    @Override
    public String toString() {
        return position == null ? file + ": " + message : file + ": " + position + ": " + message;
    }
}
