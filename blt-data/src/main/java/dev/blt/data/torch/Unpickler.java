package dev.blt.data.torch;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A data-only pickle reader. It understands the opcodes CPython's binary picklers (protocols 2 to 5) emit for
 * numbers, strings, bytes, lists, tuples, dicts and sets; a global resolves only through {@link PickleGlobals},
 * so nothing outside that list can be named, let alone imported or called. Opcodes that build arbitrary objects
 * (INST, OBJ, NEWOBJ, EXT*) are refused.
 *
 * <p>Values: None is null, bool {@link Boolean}, int {@link Long} (or {@link BigInteger} beyond 64 bits), float
 * {@link Double}, str {@link String}, bytes {@code byte[]}, list {@link ArrayList}, tuple an unmodifiable
 * {@link List}, dict {@link LinkedHashMap}, set {@link LinkedHashSet}, frozenset an unmodifiable {@link Set}.
 */
final class Unpickler {
    private static final int HIGHEST_PROTOCOL = 5;
    private static final Map<Integer, String> REFUSED = refusedOpcodes();

    private final byte[] data;
    private final PickleGlobals globals;
    private final PersistentLoader persistent;
    private final List<Object> stack = new ArrayList<>();
    private final Deque<Integer> marks = new ArrayDeque<>();
    private final Map<Long, Object> memo = new HashMap<>();
    private int pos;

    private Unpickler(byte[] data, PickleGlobals globals, PersistentLoader persistent) {
        this.data = data;
        this.globals = globals;
        this.persistent = persistent;
    }

    /** The object the pickle describes; errors say at which byte and why. */
    static Object load(byte[] data, PickleGlobals globals, PersistentLoader persistent) throws PickleException {
        Unpickler u = new Unpickler(data, globals, persistent);
        int opStart = 0;
        try {
            while (true) {
                opStart = u.pos;
                if (u.step()) {
                    return u.pop();
                }
            }
        } catch (PickleException e) {
            throw new PickleException("byte " + opStart + ": " + e.getMessage());
        }
    }

    /** Executes one opcode; true at STOP. */
    private boolean step() throws PickleException {
        int op = u1();
        switch (op) {
            case 0x80 -> { // PROTO
                int v = u1();
                if (v > HIGHEST_PROTOCOL) {
                    throw new PickleException("pickle protocol " + v + " is newer than " + HIGHEST_PROTOCOL);
                }
            }
            case 0x95 -> take(8); // FRAME: frames are contiguous, so their length adds nothing
            case '.' -> { // STOP
                if (stack.size() != 1 || !marks.isEmpty()) {
                    throw new PickleException("STOP with " + stack.size() + " objects and " + marks.size()
                            + " marks on the stack (corrupt pickle)");
                }
                return true;
            }
            case '(' -> marks.push(stack.size()); // MARK
            case 'N' -> push(null);
            case 0x88 -> push(Boolean.TRUE);
            case 0x89 -> push(Boolean.FALSE);
            case 'J' -> push((long) le(4).getInt()); // BININT
            case 'K' -> push((long) u1()); // BININT1
            case 'M' -> push((long) (le(2).getShort() & 0xffff)); // BININT2
            case 0x8a -> push(longFrom(take(u1()))); // LONG1
            case 0x8b -> push(longFrom(take(length(le(4).getInt() & 0xffffffffL)))); // LONG4
            case 'G' -> push(ByteBuffer.wrap(take(8)).getDouble()); // BINFLOAT, big-endian
            case 0x8c -> push(utf8(take(u1()))); // SHORT_BINUNICODE
            case 'X' -> push(utf8(take(length(le(4).getInt() & 0xffffffffL)))); // BINUNICODE
            case 0x8d -> push(utf8(take(length(le(8).getLong())))); // BINUNICODE8
            case 'C' -> push(take(u1())); // SHORT_BINBYTES
            case 'B' -> push(take(length(le(4).getInt() & 0xffffffffL))); // BINBYTES
            case 0x8e -> push(take(length(le(8).getLong()))); // BINBYTES8
            case ']' -> push(new ArrayList<>()); // EMPTY_LIST
            case 'a' -> { // APPEND
                Object v = pop();
                expect(top(), ArrayList.class, "APPEND").add(v);
            }
            case 'e' -> { // APPENDS
                List<Object> items = popMark();
                expect(top(), ArrayList.class, "APPENDS").addAll(items);
            }
            case ')' -> push(List.of()); // EMPTY_TUPLE
            case 0x85 -> push(tuple(1)); // TUPLE1
            case 0x86 -> push(tuple(2)); // TUPLE2
            case 0x87 -> push(tuple(3)); // TUPLE3
            case 't' -> push(Collections.unmodifiableList(popMark())); // TUPLE
            case '}' -> push(new LinkedHashMap<>()); // EMPTY_DICT
            case 's' -> { // SETITEM
                Object v = pop();
                Object k = key(pop());
                expect(top(), LinkedHashMap.class, "SETITEM").put(k, v);
            }
            case 'u' -> { // SETITEMS
                List<Object> kv = popMark();
                Map<Object, Object> map = expect(top(), LinkedHashMap.class, "SETITEMS");
                if (kv.size() % 2 != 0) {
                    throw new PickleException("SETITEMS with an odd number of items");
                }
                for (int i = 0; i < kv.size(); i += 2) {
                    map.put(key(kv.get(i)), kv.get(i + 1));
                }
            }
            case 0x8f -> push(new LinkedHashSet<>()); // EMPTY_SET
            case 0x90 -> { // ADDITEMS
                List<Object> items = keys(popMark());
                expect(top(), LinkedHashSet.class, "ADDITEMS").addAll(items);
            }
            case 0x91 -> push(Collections.unmodifiableSet(new LinkedHashSet<>(keys(popMark())))); // FROZENSET
            case 'q' -> memo.put((long) u1(), top()); // BINPUT
            case 'r' -> memo.put(le(4).getInt() & 0xffffffffL, top()); // LONG_BINPUT
            case 0x94 -> memo.put((long) memo.size(), top()); // MEMOIZE
            case 'h' -> push(memoGet(u1())); // BINGET
            case 'j' -> push(memoGet(le(4).getInt() & 0xffffffffL)); // LONG_BINGET
            case 'c' -> push(global(line(), line())); // GLOBAL
            case 0x93 -> { // STACK_GLOBAL
                String name = expect(pop(), String.class, "STACK_GLOBAL name");
                push(global(expect(pop(), String.class, "STACK_GLOBAL module"), name));
            }
            case 'R' -> { // REDUCE
                List<Object> args = expect(pop(), List.class, "REDUCE arguments");
                PickleFunction f = expect(pop(), PickleFunction.class, "REDUCE");
                push(f.call(args));
            }
            case 'b' -> { // BUILD: only an OrderedDict's attributes (a state dict's _metadata), which we drop
                pop();
                expect(top(), LinkedHashMap.class, "BUILD");
            }
            case 'Q' -> push(persistent.load(pop())); // BINPERSID
            default -> {
                String name = REFUSED.get(op);
                throw new PickleException(name != null
                        ? "pickle opcode " + name + " is not supported (it is not needed for tensors and plain data)"
                        : String.format("unknown pickle opcode 0x%02x (not a pickle, or corrupt)", op));
            }
        }
        return false;
    }

    private Object global(String module, String name) throws PickleException {
        Object g = globals.resolve(module, name);
        if (g == null) {
            throw new PickleException("global '" + module + "." + name + "' is not allowed (only "
                    + globals.describe() + " may appear; anything else could run code)");
        }
        return g;
    }

    /**
     * A dict key or set item: a scalar or a tuple of scalars. Python would accept deeper hashable tuples too, but
     * no checkpoint needs them, and a bounded depth keeps Java's recursive hashCode safe on a hostile pickle.
     */
    private static Object key(Object k) throws PickleException {
        if (k instanceof List && !(k instanceof ArrayList)) {
            for (Object item : (List<?>) k) {
                if (!isScalar(item)) {
                    throw new PickleException("a tuple holding a " + describe(item) + " as a dict key or set item");
                }
            }
        } else if (!isScalar(k)) {
            throw new PickleException("a " + describe(k) + " as a dict key or set item");
        }
        return k;
    }

    private static List<Object> keys(List<Object> items) throws PickleException {
        for (Object item : items) {
            key(item);
        }
        return items;
    }

    private static boolean isScalar(Object o) {
        return o == null || o instanceof String || o instanceof Long || o instanceof BigInteger || o instanceof Double
                || o instanceof Boolean || o instanceof byte[];
    }

    private Object memoGet(long index) throws PickleException {
        if (!memo.containsKey(index)) {
            throw new PickleException("memo entry " + index + " was never stored (corrupt pickle)");
        }
        return memo.get(index);
    }

    private List<Object> tuple(int n) throws PickleException {
        if (stack.size() - (marks.isEmpty() ? 0 : marks.peek()) < n) {
            throw new PickleException("stack underflow (corrupt pickle)");
        }
        List<Object> items = new ArrayList<>(stack.subList(stack.size() - n, stack.size()));
        stack.subList(stack.size() - n, stack.size()).clear();
        return Collections.unmodifiableList(items);
    }

    private List<Object> popMark() throws PickleException {
        if (marks.isEmpty()) {
            throw new PickleException("no MARK before a collection opcode (corrupt pickle)");
        }
        int m = marks.pop();
        List<Object> items = new ArrayList<>(stack.subList(m, stack.size()));
        stack.subList(m, stack.size()).clear();
        return items;
    }

    private void push(Object o) {
        stack.add(o);
    }

    private Object pop() throws PickleException {
        top();
        return stack.remove(stack.size() - 1);
    }

    private Object top() throws PickleException {
        if (stack.size() <= (marks.isEmpty() ? 0 : marks.peek())) {
            throw new PickleException("stack underflow (corrupt pickle)");
        }
        return stack.get(stack.size() - 1);
    }

    @SuppressWarnings("unchecked")
    private static <T> T expect(Object o, Class<T> type, String what) throws PickleException {
        if (!type.isInstance(o)) {
            throw new PickleException(what + " expects a " + typeName(type) + " but found " + describe(o));
        }
        return (T) o;
    }

    private static String typeName(Class<?> c) {
        if (c == ArrayList.class) {
            return "list";
        }
        if (c == LinkedHashMap.class) {
            return "dict";
        }
        if (c == LinkedHashSet.class) {
            return "set";
        }
        if (c == String.class) {
            return "str";
        }
        return c == List.class ? "tuple" : "callable global";
    }

    /** The Python type of an unpickled value, for error messages. */
    static String describe(Object o) {
        if (o == null) {
            return "None";
        }
        if (o instanceof byte[]) {
            return "bytes";
        }
        if (o instanceof String) {
            return "str";
        }
        if (o instanceof Long || o instanceof BigInteger) {
            return "int";
        }
        if (o instanceof Double) {
            return "float";
        }
        if (o instanceof Boolean) {
            return "bool";
        }
        if (o instanceof List) {
            return o instanceof ArrayList ? "list" : "tuple";
        }
        if (o instanceof Map) {
            return "dict";
        }
        if (o instanceof Set) {
            return o instanceof LinkedHashSet ? "set" : "frozenset";
        }
        return o.toString();
    }

    private int u1() throws PickleException {
        return take(1)[0] & 0xff;
    }

    private ByteBuffer le(int n) throws PickleException {
        return ByteBuffer.wrap(take(n)).order(ByteOrder.LITTLE_ENDIAN);
    }

    private int length(long n) throws PickleException {
        if (n < 0 || n > data.length - pos) {
            throw new PickleException("truncated: an item of " + n + " bytes at byte " + pos + " but the pickle has "
                    + data.length + " bytes");
        }
        return (int) n;
    }

    private byte[] take(int n) throws PickleException {
        length(n);
        byte[] out = Arrays.copyOfRange(data, pos, pos + n);
        pos += n;
        return out;
    }

    /** A newline-terminated ASCII argument (GLOBAL's module and name). */
    private String line() throws PickleException {
        int start = pos;
        while (pos < data.length && data[pos] != '\n') {
            pos++;
        }
        if (pos == data.length) {
            throw new PickleException("truncated: GLOBAL argument without a newline");
        }
        return new String(data, start, pos++ - start, StandardCharsets.UTF_8);
    }

    private static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Little-endian two's complement, as LONG1/LONG4 store it. */
    private static Object longFrom(byte[] le) {
        if (le.length == 0) {
            return 0L;
        }
        byte[] be = new byte[le.length];
        for (int i = 0; i < le.length; i++) {
            be[i] = le[le.length - 1 - i];
        }
        BigInteger v = new BigInteger(be);
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    private static Map<Integer, String> refusedOpcodes() {
        Map<Integer, String> m = new HashMap<>();
        m.put((int) 'i', "INST");
        m.put((int) 'o', "OBJ");
        m.put(0x81, "NEWOBJ");
        m.put(0x92, "NEWOBJ_EX");
        m.put(0x82, "EXT1");
        m.put(0x83, "EXT2");
        m.put(0x84, "EXT4");
        m.put((int) 'I', "INT (text protocol 0)");
        m.put((int) 'L', "LONG (text protocol 0)");
        m.put((int) 'F', "FLOAT (text protocol 0)");
        m.put((int) 'S', "STRING (text protocol 0)");
        m.put((int) 'V', "UNICODE (text protocol 0)");
        m.put((int) 'P', "PERSID (text protocol 0)");
        m.put((int) 'g', "GET (text protocol 0)");
        m.put((int) 'p', "PUT (text protocol 0)");
        m.put(0x96, "BYTEARRAY8");
        m.put(0x97, "NEXT_BUFFER");
        m.put(0x98, "READONLY_BUFFER");
        return m;
    }
}
