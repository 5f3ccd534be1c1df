package dev.blt.data.pretokenize;

import dev.blt.data.tokenizer.Tokenizer;
import dev.blt.data.tokenizer.Tokenizers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static dev.blt.data.pretokenize.SegmentAssertions.assertCoversInput;
import static dev.blt.data.pretokenize.SegmentAssertions.labels;
import static dev.blt.data.pretokenize.SegmentAssertions.texts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TextPreTokenizerTest {
    @TempDir
    Path dir;

    @Test
    void whitespaceWordsKeepTheSpaces() throws IOException {
        byte[] input = "Hello,  wörld\t\n😀x\u3000end".getBytes(StandardCharsets.UTF_8);
        List<ByteSegment> segments = TextPreTokenizer.words().preTokenize(input);
        assertEquals(List.of("Hello,", "  ", "wörld", "\t\n", "😀x", "\u3000", "end"), texts(segments));
        assertEquals(List.of("word", "space", "word", "space", "word", "space", "word"), labels(segments));
        // hand-computed byte offsets: ö is 2 bytes, 😀 4, U+3000 3
        assertEquals(8, segments.get(2).metadata().start());
        assertEquals(14, segments.get(2).metadata().end());
        assertEquals(16, segments.get(4).metadata().start());
        assertEquals(21, segments.get(4).metadata().end());
        assertCoversInput(input, segments);
    }

    @Test
    void seedsEmptySimpleModeIsFixed() throws IOException {
        // the seed's "simple" text pre-tokenizer returned nothing for any input
        assertEquals(List.of("Hello", " ", "world"), texts(TextPreTokenizer.words().preTokenize("Hello world".getBytes(StandardCharsets.UTF_8))));
        assertTrue(TextPreTokenizer.words().preTokenize(new byte[0]).isEmpty());
    }

    @Test
    void invalidUtf8StaysInPlace() throws IOException {
        byte[] input = {'a', 'b', (byte) 0xFF, 'c', ' ', (byte) 0xC3, ' ', 'd'};
        List<ByteSegment> words = TextPreTokenizer.words().preTokenize(input);
        assertEquals(List.of("word", "space", "word", "space", "word"), labels(words));
        assertCoversInput(input, words);
        try (Tokenizer cl100k = Tokenizers.open("cl100k_base")) {
            List<ByteSegment> tokens = TextPreTokenizer.tokens(cl100k).preTokenize(input);
            // the valid runs "ab", "c ", " d" are tokenized on their own; tiktoken splits "c " into "c", " "
            assertEquals(List.of("token", "invalid_utf8", "token", "token", "invalid_utf8", "token"), labels(tokens));
            assertEquals(List.of("ab", "c", " ", " d"), List.of(texts(tokens).get(0), texts(tokens).get(2), texts(tokens).get(3), texts(tokens).get(5)));
            assertCoversInput(input, tokens);
        }
    }

    @Test
    void tokenPiecesFromTiktoken() throws IOException {
        byte[] input = "Hello world!".getBytes(StandardCharsets.UTF_8);
        try (Tokenizer cl100k = Tokenizers.open("cl100k_base")) {
            List<ByteSegment> segments = TextPreTokenizer.tokens(cl100k).preTokenize(input);
            assertEquals(List.of("Hello", " world", "!"), texts(segments));
            assertCoversInput(input, segments);
        }
    }

    @Test
    void tokenizerJsonPreTokenization() throws IOException {
        Path json = dev.blt.data.tokenizer.TestModelsAccess.byteLevelTokenizerJson(dir);
        byte[] input = "hello world!  Grüße 😀".getBytes(StandardCharsets.UTF_8);
        try (Tokenizer hf = Tokenizers.open(json.toString())) {
            List<ByteSegment> segments = new PreTokenizerOptions().textTokenizer(hf).create(Modality.TEXT, null).preTokenize(input);
            // GPT-2's pre-tokenizer regex: letters with one leading space, punctuation, whitespace not before a word
            assertEquals(List.of("hello", " world", "!", " ", " Grüße", " 😀"), texts(segments));
            assertEquals("pretoken", segments.get(0).label());
            assertCoversInput(input, segments);
        }
    }

    @Test
    void normalizingTokenizerIsRefusedClearly() throws IOException {
        Path model = dev.blt.data.tokenizer.TestModelsAccess.sentencePieceModel(dir);
        try (Tokenizer sp = Tokenizers.open(model.toString())) {
            PreTokenizeException e = assertThrows(PreTokenizeException.class,
                    () -> TextPreTokenizer.tokens(sp).preTokenize("hello   world".getBytes(StandardCharsets.UTF_8)));
            assertTrue(e.getMessage().contains("tiny.model"), e.getMessage());
        }
    }

    @Test
    void randomBytesAlwaysCovered() throws IOException {
        Random rnd = new Random(3);
        try (Tokenizer cl100k = Tokenizers.open("cl100k_base")) {
            for (int trial = 0; trial < 100; trial++) {
                byte[] input = new byte[rnd.nextInt(200)];
                for (int i = 0; i < input.length; i++) {
                    // mostly text-like bytes, with spaces and some invalid UTF-8
                    int r = rnd.nextInt(10);
                    input[i] = (byte) (r < 6 ? 'a' + rnd.nextInt(26) : r < 8 ? ' ' : rnd.nextInt(256));
                }
                assertCoversInput(input, TextPreTokenizer.words().preTokenize(input));
                assertCoversInput(input, TextPreTokenizer.tokens(cl100k).preTokenize(input));
            }
        }
    }
}
