package dev.blt.data.torch;

import dev.blt.data.tensors.DType;

/** A tensor storage named by a checkpoint's pickle: the archive entry {@code data/<key>} of {@code numel} elements. */
record StorageRef(String key, DType dtype, long numel) {
    @Override
    public String toString() {
        return "storage data/" + key;
    }
}
