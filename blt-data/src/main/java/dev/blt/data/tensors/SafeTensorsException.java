package dev.blt.data.tensors;

import java.nio.file.Path;

/** A safetensors file that cannot be read or does not hold what the caller needs; names the file and tensor. */
public class SafeTensorsException extends TensorFileException {
    public SafeTensorsException(Path file, String problem) {
        super(file, problem);
    }

    public SafeTensorsException(Path file, String tensor, String problem) {
        super(file, tensor, problem);
    }
}
