package dev.blt.data.torch;

import dev.blt.data.tensors.DType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code data.pkl} of a {@code torch.save} archive, read with only the globals a state dict needs (the same
 * idea as {@code torch.load(weights_only=True)}): {@code collections.OrderedDict}, the tensor rebuild functions
 * and the storage types. Each is implemented here in Java; tensors come back as {@link StoredTensor}.
 */
final class TorchPickle implements PickleGlobals {
    private static final TorchPickle INSTANCE = new TorchPickle();

    private final Map<String, Object> allowed = new LinkedHashMap<>();

    private TorchPickle() {
        allow(new Global("collections.OrderedDict", TorchPickle::orderedDict));
        allow(new Global("torch._utils._rebuild_tensor_v2", TorchPickle::rebuildTensor));
        allow(new Global("torch._utils._rebuild_parameter", TorchPickle::rebuildParameter));
        // torch.save names a tensor's storage by its legacy typed class; UntypedStorage holds raw bytes
        storage("DoubleStorage", DType.F64);
        storage("FloatStorage", DType.F32);
        storage("HalfStorage", DType.F16);
        storage("BFloat16Storage", DType.BF16);
        storage("LongStorage", DType.I64);
        storage("IntStorage", DType.I32);
        storage("ShortStorage", DType.I16);
        storage("CharStorage", DType.I8);
        storage("ByteStorage", DType.U8);
        storage("BoolStorage", DType.BOOL);
        storage("UntypedStorage", DType.U8);
    }

    /** The unpickled object; storages are resolved to {@link StorageRef}s, not read. */
    static Object load(byte[] pickle) throws PickleException {
        return Unpickler.load(pickle, INSTANCE, TorchPickle::storage);
    }

    @Override
    public Object resolve(String module, String name) {
        return allowed.get(module + "." + name);
    }

    @Override
    public String describe() {
        return String.join(", ", allowed.keySet());
    }

    private void allow(Global g) {
        allowed.put(g.name(), g);
    }

    private void storage(String name, DType dtype) {
        allowed.put("torch." + name, new StorageType("torch." + name, dtype));
    }

    /** A storage class; it only appears inside persistent ids. */
    private record StorageType(String name, DType dtype) {
        @Override
        public String toString() {
            return "global " + name;
        }
    }

    private record Global(String name, PickleFunction body) implements PickleFunction {
        @Override
        public Object call(List<Object> args) throws PickleException {
            try {
                return body.call(args);
            } catch (PickleException e) {
                throw new PickleException(name + ": " + e.getMessage());
            }
        }

        @Override
        public String toString() {
            return "global " + name;
        }
    }

    /** torch's persistent id for a storage: ('storage', storage type, key, location, numel). */
    private static Object storage(Object pid) throws PickleException {
        if (!(pid instanceof List) || ((List<?>) pid).size() != 5 || !"storage".equals(((List<?>) pid).get(0))) {
            throw new PickleException("persistent id " + Unpickler.describe(pid)
                    + " is not ('storage', type, key, location, numel)");
        }
        List<?> t = (List<?>) pid;
        if (!(t.get(1) instanceof StorageType) || !(t.get(2) instanceof String) || !(t.get(4) instanceof Long)
                || (Long) t.get(4) < 0) {
            throw new PickleException("malformed storage id (" + Unpickler.describe(t.get(1)) + ", "
                    + Unpickler.describe(t.get(2)) + ", " + Unpickler.describe(t.get(4)) + ")");
        }
        return new StorageRef((String) t.get(2), ((StorageType) t.get(1)).dtype(), (Long) t.get(4));
    }

    private static Object orderedDict(List<Object> args) throws PickleException {
        if (!args.isEmpty()) {
            throw new PickleException("expected no arguments, got " + args.size());
        }
        return new LinkedHashMap<>();
    }

    /** (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata]). */
    private static Object rebuildTensor(List<Object> args) throws PickleException {
        if (args.size() != 6 && args.size() != 7) {
            throw new PickleException("expected 6 or 7 arguments, got " + args.size());
        }
        if (!(args.get(0) instanceof StorageRef) || !(args.get(1) instanceof Long)) {
            throw new PickleException("expected (storage, offset, ...), got (" + Unpickler.describe(args.get(0))
                    + ", " + Unpickler.describe(args.get(1)) + ", ...)");
        }
        long[] shape = longs(args.get(2), "size");
        long[] stride = longs(args.get(3), "stride");
        if (shape.length != stride.length) {
            throw new PickleException("size and stride differ in length");
        }
        return new StoredTensor((StorageRef) args.get(0), (Long) args.get(1), shape, stride);
    }

    /** (data, requires_grad, backward_hooks): a Parameter is its tensor here. */
    private static Object rebuildParameter(List<Object> args) throws PickleException {
        if (args.size() != 3 || !(args.get(0) instanceof StoredTensor)) {
            throw new PickleException("expected (tensor, requires_grad, backward_hooks)");
        }
        return args.get(0);
    }

    private static long[] longs(Object tuple, String what) throws PickleException {
        if (!(tuple instanceof List)) {
            throw new PickleException(what + " is a " + Unpickler.describe(tuple) + ", not a tuple of ints");
        }
        List<?> items = (List<?>) tuple;
        long[] out = new long[items.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(items.get(i) instanceof Long) || (Long) items.get(i) < 0) {
                throw new PickleException(what + "[" + i + "] is " + (items.get(i) instanceof Long ? items.get(i)
                        : "a " + Unpickler.describe(items.get(i))) + ", not a non-negative int");
            }
            out[i] = (Long) items.get(i);
        }
        return out;
    }
}

