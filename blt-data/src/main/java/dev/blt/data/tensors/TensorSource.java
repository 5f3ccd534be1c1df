package dev.blt.data.tensors;

import dev.blt.data.burn.BurnRecord;
import dev.blt.data.torch.TorchCheckpoint;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Named tensors read from a file, whatever its format: what a model loader needs from a checkpoint.
 * {@link TensorInfo#begin()}/{@link TensorInfo#end()} are format-specific byte positions.
 */
public interface TensorSource extends Closeable {
    Path path();

    /** The file format, in words, for reports such as {@code ./blt weights inspect}. */
    String format();

    /** Tensor entries in file order. */
    Map<String, TensorInfo> tensors();

    default boolean contains(String name) {
        return tensors().containsKey(name);
    }

    default TensorInfo info(String name) throws TensorFileException {
        TensorInfo t = tensors().get(name);
        if (t == null) {
            throw new TensorFileException(path(), name, "not in file");
        }
        return t;
    }

    /** The entry of a tensor that {@link #readFloats} can read: present and of a floating dtype. */
    default TensorInfo floatingInfo(String name) throws TensorFileException {
        TensorInfo t = info(name);
        if (!t.dtype().isFloating()) {
            throw new TensorFileException(path(), name, "is " + t.dtype() + ", expected a floating type");
        }
        return t;
    }

    /** Any floating tensor as float32 values, in row-major order. */
    float[] readFloats(String name) throws TensorFileException;

    /** String metadata stored with the tensors; empty if the format has none. */
    Map<String, String> metadata();

    /**
     * Opens a {@code .safetensors} file, a PyTorch {@code torch.save} checkpoint or a Burn record ({@code .mpk},
     * {@code .mpk.gz}), told apart by their first bytes (see {@link TorchCheckpoint#recognizes},
     * {@link BurnRecord#recognizes}), not by file name; and a sharded safetensors checkpoint by its index file
     * ({@link ShardedSafeTensors}: JSON, which none of the formats starts with, so its name tells it).
     */
    static TensorSource open(Path path) throws TensorFileException {
        if (ShardedSafeTensors.isIndex(path)) {
            return ShardedSafeTensors.open(path);
        }
        byte[] magic;
        try (InputStream in = Files.newInputStream(path)) {
            magic = in.readNBytes(16);
        } catch (NoSuchFileException e) {
            throw new TensorFileException(path, "file not found");
        } catch (IOException e) {
            throw new TensorFileException(path, "cannot open: " + e.getMessage());
        }
        if (TorchCheckpoint.recognizes(magic)) {
            return TorchCheckpoint.open(path);
        }
        if (BurnRecord.recognizes(path, magic)) {
            return BurnRecord.open(path);
        }
        if (magic.length < 9 || magic[8] != '{') { // safetensors: u64 header length, then the JSON header
            throw new TensorFileException(path, "not a weights file this tool reads (safetensors, a torch.save "
                    + ".pth zip, or a Burn .mpk/.mpk.gz record)");
        }
        return SafeTensorsFile.open(path);
    }
}
