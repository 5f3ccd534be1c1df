package dev.blt.data.tensors;

import java.io.IOException;
import java.nio.file.Path;

/** A tensor file (safetensors or PyTorch checkpoint) that cannot be read or lacks what the caller needs. */
public class TensorFileException extends IOException {
    public TensorFileException(Path file, String problem) {
        super(file + ": " + problem);
    }

    public TensorFileException(Path file, String tensor, String problem) {
        super(file + ": tensor '" + tensor + "': " + problem);
    }
}
