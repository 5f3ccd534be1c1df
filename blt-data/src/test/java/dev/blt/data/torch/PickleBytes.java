package dev.blt.data.torch;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Writes pickle opcodes by hand, so tests can build exactly the (malicious or odd) pickles they need. */
final class PickleBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static PickleBytes proto2() {
        return new PickleBytes().op(0x80).op(2);
    }

    PickleBytes op(int... opcodes) {
        for (int o : opcodes) {
            out.write(o);
        }
        return this;
    }

    PickleBytes global(String module, String name) {
        op('c');
        byte[] b = (module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII);
        out.write(b, 0, b.length);
        return this;
    }

    PickleBytes str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        op('X');
        le4(b.length);
        out.write(b, 0, b.length);
        return this;
    }

    PickleBytes binint(int v) {
        op('J');
        return le4(v);
    }

    /** A tuple of small ints (BININT), as torch writes sizes and strides. */
    PickleBytes ints(long... values) {
        op('(');
        for (long v : values) {
            binint((int) v);
        }
        return op('t');
    }

    /** _rebuild_tensor_v2((storage id), offset, size, stride, False, OrderedDict()) onto the stack. */
    PickleBytes tensor(String storageClass, String key, long storageNumel, long offset, long[] size, long[] stride) {
        global("torch._utils", "_rebuild_tensor_v2").op('(');
        op('(').str("storage").global("torch", storageClass).str(key).str("cpu").binint((int) storageNumel).op('t');
        op('Q').binint((int) offset).ints(size).ints(stride).op(0x89);
        global("collections", "OrderedDict").op(')', 'R');
        return op('t', 'R');
    }

    private PickleBytes le4(int v) {
        byte[] b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
        out.write(b, 0, 4);
        return this;
    }

    byte[] stop() {
        op('.');
        return out.toByteArray();
    }
}
