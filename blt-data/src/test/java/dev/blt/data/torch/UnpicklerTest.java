package dev.blt.data.torch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UnpicklerTest {
    @TempDir
    Path dir;

    private static void assertRefused(byte[] pickle, String... fragments) {
        PickleException e = assertThrows(PickleException.class, () -> TorchPickle.load(pickle));
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "'" + f + "' not in: " + e.getMessage());
        }
    }

    @Test
    void refusesGlobalsOutsideTheWhitelistBeforeCallingAnything() {
        // the classic exploit: os.system('echo pwned')
        byte[] exploit = PickleBytes.proto2().global("os", "system").str("echo pwned").op(0x85, 'R').stop();
        assertRefused(exploit, "byte 2:", "global 'os.system' is not allowed", "collections.OrderedDict");
        // what pickle.dumps(os.system) writes on Linux; had it run, the file would exist
        Path witness = dir.resolve("pwned");
        byte[] posix = PickleBytes.proto2().global("posix", "system").str("touch " + witness).op(0x85, 'R').stop();
        assertRefused(posix, "global 'posix.system' is not allowed");
        assertFalse(Files.exists(witness), "the refused call must not have run");
        byte[] stackGlobal = new PickleBytes().op(0x80, 4).str("builtins").str("eval").op(0x93).stop();
        assertRefused(stackGlobal, "'builtins.eval' is not allowed");
        // an allowed storage class is data, not a function
        assertRefused(PickleBytes.proto2().global("torch", "FloatStorage").op(')', 'R').stop(),
                "REDUCE expects a callable global but found global torch.FloatStorage");
    }

    @Test
    void refusesObjectBuildingOpcodesByName() {
        assertRefused(PickleBytes.proto2().op('(').global("os", "system").op('i').stop(), "global 'os.system'");
        assertRefused(PickleBytes.proto2().op('(', 'i').stop(), "opcode INST is not supported");
        assertRefused(PickleBytes.proto2().op(0x82, 1).stop(), "EXT1");
        assertRefused(PickleBytes.proto2().op(0xff).stop(), "byte 2:", "unknown pickle opcode 0xff");
        assertRefused(new PickleBytes().op(0x80, 6).stop(), "protocol 6");
    }

    @Test
    void reportsTruncationAndCorruption() {
        byte[] full = PickleBytes.proto2().str("hello").stop();
        assertRefused(java.util.Arrays.copyOf(full, 8), "truncated");
        assertRefused(java.util.Arrays.copyOf(full, full.length - 1), "byte " + (full.length - 1), "truncated");
        assertRefused(PickleBytes.proto2().op('h', 7).stop(), "memo entry 7 was never stored");
        assertRefused(PickleBytes.proto2().op('N', 'N').stop(), "STOP with 2 objects");
        assertRefused(PickleBytes.proto2().str("x").op('N', 'N', 's').stop(), "SETITEM expects a dict but found str");
        assertRefused(PickleBytes.proto2().op('t').stop(), "no MARK");
        assertRefused(PickleBytes.proto2().op('N', 'Q').stop(), "persistent id None");
        // a list that holds itself, then used as a dict key: refused before Java would recurse in hashCode
        assertRefused(PickleBytes.proto2().op('}', ']', 'q', 0, 'h', 0, 'a', 'N', 's').stop(),
                "byte 10:", "a list as a dict key");
        assertRefused(PickleBytes.proto2().op('}', ']', 0x85, 'N', 's').stop(), "a tuple holding a list as a dict key");
    }

    /** Hand-assembled opcodes, so this check needs no Python. */
    @Test
    void decodesHandWrittenData() throws PickleException {
        byte[] p = PickleBytes.proto2().op('}', 'q', 0, '(')
                .str("ints").op('(').binint(-7).op('K', 200, 'M', 0x34, 0x12, 0x8a, 0, 0x8a, 1, 0xff)
                .op(0x8a, 9, 0, 0, 0, 0, 0, 0, 0, 0, 1).op('t')
                .str("float").op('G', 0x3f, 0xf8, 0, 0, 0, 0, 0, 0)
                .str("shared").op(']', 'q', 1, 'h', 1, 0x86)
                .str("long").op(0x8d, 2, 0, 0, 0, 0, 0, 0, 0, 'o', 'k')
                .str("pair").op('N', 0x88, 0x86)
                .op('u').stop();
        Map<?, ?> m = assertInstanceOf(Map.class, TorchPickle.load(p));
        assertEquals(List.of("ints", "float", "shared", "long", "pair"), new ArrayList<>(m.keySet()));
        assertEquals(List.of(-7L, 200L, 0x1234L, 0L, -1L, BigInteger.ONE.shiftLeft(64)), m.get("ints"));
        assertEquals(1.5, m.get("float"));
        List<?> shared = (List<?>) m.get("shared");
        assertSame(shared.get(0), shared.get(1));
        assertEquals("ok", m.get("long"));
        assertEquals(java.util.Arrays.asList(null, true), m.get("pair"));
    }

    /** A state dict's OrderedDict carries _metadata (module versions) set by BUILD; it is dropped, the items kept. */
    @Test
    void buildOnlySetsStateOfAnOrderedDict() throws PickleException {
        byte[] od = PickleBytes.proto2().global("collections", "OrderedDict").op(')', 'R', '(').str("k").binint(1).op('u')
                .op('}').str("_metadata").op('}', 's', 'b').stop();
        assertEquals(Map.of("k", 1L), TorchPickle.load(od));
        assertRefused(PickleBytes.proto2().str("x").op('}', 'b').stop(), "BUILD expects a dict but found str");
        assertRefused(PickleBytes.proto2().global("collections", "OrderedDict").str("x").op(0x85, 'R').stop(),
                "collections.OrderedDict: expected no arguments");
    }

    private static final String PYTHON = """
            import collections, json, pickle
            inner = [1, 2]
            base = {"ints": [0, 1, -1, 255, 256, 65535, 65536, -2**31, 2**31, 2**63 - 1, -2**63, 2**64, -2**100],
                    "floats": [0.1, -2.5e-300, 1e308, -0.0], "strs": ["", "\\u00fc\\u20ac\\U0001F600", "x" * 300],
                    "tuples": [(), (1,), (1, 2), (1, 2, 3), (1, 2, 3, 4)], "none": None, "bools": [True, False],
                    "nested": [{"k": [[]]}], "shared": [inner, inner], "many": [[i] for i in range(1500)]}
            base["late"] = base["many"][-1]  # memo index above 255: LONG_BINPUT/LONG_BINGET
            # what module.state_dict() returns: an OrderedDict with a _metadata attribute (pickled via BUILD)
            sd = collections.OrderedDict([("w", [1.5]), ("b", None)])
            sd._metadata = collections.OrderedDict([("", {"version": 1})])
            base["state_dict"] = sd
            def canon(o):
                if isinstance(o, bytes): return {"bytes": o.hex()}
                if isinstance(o, (set, frozenset)): return {"set": sorted(o)}
                if isinstance(o, (list, tuple)): return [canon(x) for x in o]
                if isinstance(o, dict): return {k: canon(v) for k, v in o.items()}
                return o
            for proto in (2, 3, 4, 5):
                obj = dict(base)
                if proto >= 3: obj["byte_strings"] = [b"", b"\\x00\\xff", bytes(range(256)) * 2]
                if proto >= 4: obj["set_values"] = [{3, 1, 2}, frozenset({5}), set()]
                print(proto, pickle.dumps(obj, protocol=proto).hex(), json.dumps(canon(obj)))
            """;

    /** CPython's own pickler at protocols 2 to 5 is the independent truth here. */
    @Test
    void decodesWhatCPythonPickles() throws Exception {
        Process proc;
        try {
            proc = new ProcessBuilder("python3", "-c", PYTHON).redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("python3 not available: " + e.getMessage());
            return;
        }
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, proc.waitFor(), out);
        ObjectMapper json = new ObjectMapper();
        int cases = 0;
        for (String line : out.strip().split("\n")) {
            String[] parts = line.split(" ", 3);
            Object got = TorchPickle.load(HexFormat.of().parseHex(parts[1]));
            assertMatches(json.readTree(parts[2]), got, "protocol " + parts[0]);
            List<?> shared = (List<?>) ((Map<?, ?>) got).get("shared");
            assertSame(shared.get(0), shared.get(1), "memoised object shared, protocol " + parts[0]);
            cases++;
        }
        assertEquals(4, cases);
    }

    private static void assertMatches(JsonNode expected, Object actual, String where) {
        if (expected.isNull()) {
            assertNull(actual, where);
        } else if (expected.isBoolean()) {
            assertEquals(expected.booleanValue(), actual, where);
        } else if (expected.isIntegralNumber()) {
            BigInteger got = actual instanceof Long ? BigInteger.valueOf((Long) actual) : (BigInteger) actual;
            assertEquals(expected.bigIntegerValue(), got, where);
            assertTrue(actual instanceof Long == (got.bitLength() < 64), where + ": Long whenever it fits");
        } else if (expected.isFloatingPointNumber()) {
            assertEquals(Double.doubleToRawLongBits(expected.doubleValue()), Double.doubleToRawLongBits((Double) actual), where);
        } else if (expected.isTextual()) {
            assertEquals(expected.textValue(), actual, where);
        } else if (expected.isArray()) {
            List<?> list = assertInstanceOf(List.class, actual, where);
            assertEquals(expected.size(), list.size(), where);
            for (int i = 0; i < list.size(); i++) {
                assertMatches(expected.get(i), list.get(i), where + "[" + i + "]");
            }
        } else if (expected.has("bytes")) {
            assertArrayEquals(HexFormat.of().parseHex(expected.get("bytes").textValue()), (byte[]) actual, where);
        } else if (expected.has("set")) {
            Set<Object> sorted = new TreeSet<>();
            expected.get("set").forEach(n -> sorted.add(n.longValue()));
            assertEquals(sorted, new TreeSet<>(assertInstanceOf(Set.class, actual, where)), where);
        } else {
            Map<?, ?> map = assertInstanceOf(Map.class, actual, where);
            assertEquals(expected.size(), map.size(), where);
            for (Iterator<String> it = expected.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                assertMatches(expected.get(k), map.get(k), where + "." + k);
            }
        }
    }
}
