package dev.blt.data.tokenizer;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenizersTest {
    private static final String MIXED = "hello world, Grüße 😀 naïve\tend";

    @TempDir
    static Path dir;
    static Path spModel;
    static Path tokenizerJson;

    @BeforeAll
    static void buildModels() throws IOException {
        spModel = TestModels.sentencePieceModel(dir);
        tokenizerJson = TestModels.byteLevelTokenizerJson(dir, false);
    }

    static byte[] concat(List<byte[]> pieces) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        pieces.forEach(out::writeBytes);
        return out.toByteArray();
    }

    static List<String> strings(List<byte[]> pieces) {
        return pieces.stream().map(p -> new String(p, StandardCharsets.UTF_8)).toList();
    }

    @Test
    void tiktokenIdsMatchTiktoken() throws IOException {
        // ids from OpenAI's tiktoken for "Hello world!" (ecosystem.md §3)
        try (Tokenizer cl100k = Tokenizers.open("cl100k_base"); Tokenizer o200k = Tokenizers.open("o200k_base")) {
            assertArrayEquals(new int[]{9906, 1917, 0}, cl100k.encode("Hello world!"));
            assertArrayEquals(new int[]{13225, 2375, 0}, o200k.encode("Hello world!"));
            assertEquals(List.of("Hello", " world", "!"), strings(cl100k.pieces("Hello world!")));
            assertEquals(100277, cl100k.vocabSize());
            assertEquals(200019, o200k.vocabSize());
            assertEquals(MIXED, cl100k.decode(cl100k.encode(MIXED)));
            assertEquals(MIXED, o200k.decode(o200k.encode(MIXED)));
            assertThrows(IllegalArgumentException.class, () -> cl100k.decode(new int[]{100277}));
        }
    }

    @Test
    void tiktokenTreatsSpecialTokenTextAsText() throws IOException {
        try (Tokenizer cl100k = Tokenizers.open("cl100k_base")) {
            int[] ids = cl100k.encode("<|endoftext|>");
            assertTrue(ids.length > 1, "user text must not become the special token 100257");
            assertEquals("<|endoftext|>", cl100k.decode(ids));
        }
    }

    @Test
    void tiktokenPiecesKeepPartialUtf8Tokens() throws IOException {
        try (Tokenizer cl100k = Tokenizers.open("cl100k_base")) {
            String text = "a😀🚀b";
            List<byte[]> pieces = cl100k.pieces(text);
            assertArrayEquals(text.getBytes(StandardCharsets.UTF_8), concat(pieces));
            // the seed decoded each token alone and lost pieces that are not valid UTF-8 by themselves
            boolean hasPartialCharacter = pieces.stream()
                    .anyMatch(p -> !java.util.Arrays.equals(p, new String(p, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8)));
            assertTrue(hasPartialCharacter, "cl100k splits these emoji inside a character");
        }
    }

    @Test
    void bpeDelimitersFollowTiktokenBoundaries() throws IOException {
        try (Tokenizer delimited = Tokenizers.open("bytes+cl100k_base")) {
            assertInstanceOf(BltTokenizer.class, delimited);
            assertEquals("bytes+cl100k_base", delimited.name());
            int[] expected = {1, 3, 'H' + 4, 'e' + 4, 'l' + 4, 'l' + 4, 'o' + 4,
                    3, ' ' + 4, 'w' + 4, 'o' + 4, 'r' + 4, 'l' + 4, 'd' + 4, 3, '!' + 4, 2};
            assertArrayEquals(expected, delimited.encode("Hello world!"));
            assertEquals("Hello world!", delimited.decode(expected));
            assertEquals(MIXED, delimited.decode(delimited.encode(MIXED)));
        }
    }

    @Test
    void plainBytesMatchByteTokenizer() throws IOException {
        try (Tokenizer bytes = Tokenizers.open("bytes")) {
            assertArrayEquals(ByteTokenizer.encode(MIXED, true, true), bytes.encode(MIXED));
            assertEquals(260, bytes.vocabSize());
            assertEquals(MIXED.getBytes(StandardCharsets.UTF_8).length, bytes.pieces(MIXED).size());
        }
        assertArrayEquals(new int[]{3, 'h' + 4, 3, 'i' + 4},
                new BltTokenizer(false, false, new BltTokenizer(false, false)).encode("hi"));
    }

    @Test
    void sentencePieceEncodesWithTheModelsMerges() throws IOException {
        List<String> pieces = TestModels.spPieces();
        try (Tokenizer sp = Tokenizers.open(spModel.toString())) {
            assertInstanceOf(SentencePieceTokenizer.class, sp);
            assertEquals(pieces.size(), sp.vocabSize());
            assertArrayEquals(new int[]{pieces.indexOf("\u2581hello"), pieces.indexOf("\u2581world")}, sp.encode("hello world"));
            // 'i' is not a piece: byte fallback gives <0x69>
            assertArrayEquals(new int[]{pieces.indexOf("\u2581h"), 3 + 'i'}, sp.encode("hi"));
        }
    }

    @Test
    void sentencePieceDecodesFourByteUtf8InJava() throws IOException {
        try (Tokenizer sp = Tokenizers.open(spModel.toString())) {
            for (String text : List.of("hello world", "hello 😀 world", "Grüße, naïve 🚀!", "😀")) {
                assertEquals(text, sp.decode(sp.encode(text)), text);
            }
            List<String> pieces = TestModels.spPieces();
            int bos = 1;
            int eos = 2;
            assertEquals("hello", sp.decode(new int[]{bos, pieces.indexOf("\u2581hello"), eos}));
            // the unknown surface, then the word with its ▁ as a space (only a first piece loses it)
            assertEquals(" \u2047  hello", sp.decode(new int[]{0, pieces.indexOf("\u2581hello")}));
        }
    }

    @Test
    void sentencePieceDelimitersFollowUpstream() throws IOException {
        try (Tokenizer sp = Tokenizers.open(spModel.toString()); BltTokenizer delimited = new BltTokenizer(false, false, sp)) {
            // hand-applied text2bytes_bpe_delims: first piece loses its ▁, later ▁ become spaces, byte pieces alone
            List<byte[]> pieces = sp.pieces("hello world 😀");
            assertEquals(List.of("hello", " world", " "), strings(pieces).subList(0, 3));
            assertEquals(7, pieces.size());
            for (int i = 0; i < 4; i++) {
                assertArrayEquals(new byte[]{"😀".getBytes(StandardCharsets.UTF_8)[i]}, pieces.get(3 + i));
            }
            int[] ids = delimited.encode("hello world");
            assertArrayEquals(new int[]{3, 'h' + 4, 'e' + 4, 'l' + 4, 'l' + 4, 'o' + 4,
                    3, ' ' + 4, 'w' + 4, 'o' + 4, 'r' + 4, 'l' + 4, 'd' + 4}, ids);
            // leading spaces (removed by the normalizer) come back as one piece, as upstream recovers them
            assertEquals(List.of("  ", "hello"), strings(sp.pieces("  hello")));
            assertEquals("hello world 😀", delimited.decode(delimited.encode("hello world 😀")));
            // the normalizer collapses inner whitespace: upstream's delimited bytes lose it too
            assertEquals("hello world", delimited.decode(delimited.encode("hello   world")));
        }
    }

    @Test
    void huggingFaceJsonRoundTripsAndCutsAtTokens() throws IOException {
        try (Tokenizer hf = Tokenizers.open(tokenizerJson.toString())) {
            assertInstanceOf(HuggingFaceJsonTokenizer.class, hf);
            assertEquals(256 + TestModels.BPE_MERGES.size() + 1, hf.vocabSize());
            assertArrayEquals(new int[]{256 + 3, 256 + 8}, hf.encode("hello world"));
            assertEquals(List.of("hello", " world", "!"), strings(hf.pieces("hello world!")));
            assertEquals(MIXED, hf.decode(hf.encode(MIXED)));
            assertArrayEquals(MIXED.getBytes(StandardCharsets.UTF_8), concat(hf.pieces(MIXED)));
            assertArrayEquals(new int[]{3, 'h' + 4, 'e' + 4, 'l' + 4, 'l' + 4, 'o' + 4, 3, ' ' + 4, 'w' + 4, 'o' + 4, 'r' + 4, 'l' + 4, 'd' + 4},
                    new BltTokenizer(false, false, hf).encode("hello world"));
        }
    }

    @Test
    void huggingFacePiecesComeFromTheOriginalTextUnderANormalizer() throws IOException {
        Path lower = TestModels.byteLevelTokenizerJson(dir, true);
        try (Tokenizer hf = Tokenizers.open(lower.toString())) {
            assertArrayEquals(new int[]{256 + 3, 256 + 8}, hf.encode("HELLO World"));
            assertEquals(List.of("HELLO", " World"), strings(hf.pieces("HELLO World")));
            // GPT-2's split: " ", " é", " 😀"; é is two byte tokens and 😀 four, cut only between characters
            assertEquals(List.of(" ", " ", "é", " ", "😀"), strings(hf.pieces("  é 😀")));
        }
    }

    @Test
    void unknownSpecsAndBadFilesFailClearly() throws IOException {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> Tokenizers.open("gpt-17"));
        assertTrue(unknown.getMessage().contains("gpt-17"), unknown.getMessage());
        Path garbage = Files.write(dir.resolve("garbage.model"), new byte[]{(byte) 0x0a, (byte) 0xff, 1, 2});
        IOException bad = assertThrows(IOException.class, () -> Tokenizers.open(garbage.toString()));
        assertTrue(bad.getMessage().startsWith(garbage.toString()), bad.getMessage());
        Path badJson = Files.writeString(dir.resolve("bad.json"), "{\"model\": 3");
        IOException json = assertThrows(IOException.class, () -> Tokenizers.open(badJson.toString()));
        assertTrue(json.getMessage().startsWith(badJson.toString()), json.getMessage());
    }
}
