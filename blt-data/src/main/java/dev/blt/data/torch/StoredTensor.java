package dev.blt.data.torch;

/** What {@code torch._utils._rebuild_tensor_v2} would build: a view of a storage, offset and strides in elements. */
record StoredTensor(StorageRef storage, long offset, long[] shape, long[] stride) {
    @Override
    public String toString() {
        return "tensor";
    }
}
