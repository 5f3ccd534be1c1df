package dev.blt.ingest;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutputNamesTest {
    @Test
    void safeIdsAreKeptAndOthersEscapedByteByByte() {
        assertEquals("doc-12_a.b", OutputNames.forId("doc-12_a.b"));
        assertEquals("a%2Fb", OutputNames.forId("a/b"));
        assertEquals("a%20%C3%BC", OutputNames.forId("a ü")); // ü is C3 BC in UTF-8
        assertEquals("%2E.", OutputNames.forId("..")); // only a leading dot is escaped
        assertEquals("%2Ehidden", OutputNames.forId(".hidden"));
        assertEquals("x%25y", OutputNames.forId("x%y"));
    }

    @Test
    void namesNeverCollideAndStayShort() {
        String longId = "https://example.org/" + "very/".repeat(60) + "deep";
        List<String> ids = List.of("a/b", "a%2Fb", "a_b", "", ".", "..", "%2E", longId, longId + "x",
                longId.replace("deep", "peed"), "~", "a~" + "0".repeat(64), "A", "a");
        Set<String> names = new HashSet<>();
        for (String id : ids) {
            String n = OutputNames.forId(id);
            assertTrue(names.add(n), "collision on " + n);
            assertTrue(n.length() <= OutputNames.MAX_ESCAPED, n);
            assertFalse(n.startsWith(".") || n.contains("/") || n.isEmpty(), n);
        }
        String hashed = OutputNames.forId(longId);
        assertTrue(hashed.startsWith("https%3A%2F%2Fexample.org"), hashed);
        assertTrue(hashed.endsWith("~" + OutputNames.sha256(longId)), hashed);
    }

    @Test
    void aHashedPrefixDoesNotEndInsideAnEscape() {
        String id = "x".repeat(79) + "/" + "y".repeat(200);
        String n = OutputNames.forId(id);
        assertEquals("x".repeat(79) + "~" + OutputNames.sha256(id), n);
    }
}
