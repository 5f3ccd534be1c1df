package dev.blt.data.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds tiny tokenizer files for tests: a SentencePiece BPE model and byte-level BPE tokenizer.json files. */
final class TestModels {
    /** Words whose every ▁-prefix is a piece, so SentencePiece BPE merges them whole. */
    static final List<String> SP_WORDS = List.of("hello", "world");
    static final String[] SP_CHARS = {"\u2581", "h", "e", "l", "o", "w", "r", "d"};
    /** Ids of the fixed pieces: 0 unk, 1 BOS, 2 EOS, 3..258 the byte pieces, then SP_CHARS, then word prefixes. */
    static final int FIRST_CHAR_ID = 259;

    private TestModels() {
    }

    /** All pieces of the SentencePiece test model, in id order. */
    static List<String> spPieces() {
        List<String> pieces = new ArrayList<>(List.of("<unk>", "<s>", "</s>"));
        for (int b = 0; b < 256; b++) {
            pieces.add(String.format("<0x%02X>", b));
        }
        pieces.addAll(List.of(SP_CHARS));
        for (String word : SP_WORDS) {
            String w = "\u2581" + word;
            for (int len = 2; len <= w.length(); len++) {
                pieces.add(w.substring(0, len));
            }
        }
        return pieces;
    }

    /**
     * A SentencePiece BPE model with byte fallback, written field by field in protobuf wire format
     * ({@code sentencepiece_model.proto}): pieces (1), trainer_spec (2), normalizer_spec (3, identity rules,
     * dummy prefix and whitespace cleanup on, as in SentencePiece's defaults).
     */
    static Path sentencePieceModel(Path dir) throws IOException {
        ByteArrayOutputStream model = new ByteArrayOutputStream();
        List<String> pieces = spPieces();
        for (int id = 0; id < pieces.size(); id++) {
            int type = id == 0 ? 2 : id < 3 ? 3 : id < FIRST_CHAR_ID ? 6 : 1;
            ByteArrayOutputStream piece = new ByteArrayOutputStream();
            writeString(piece, 1, pieces.get(id));
            writeTag(piece, 2, 5);
            int bits = Float.floatToIntBits(type == 1 ? pieces.get(id).length() : 0f);
            for (int i = 0; i < 4; i++) {
                piece.write(bits >>> (8 * i));
            }
            writeVarintField(piece, 3, type);
            writeBytes(model, 1, piece.toByteArray());
        }
        ByteArrayOutputStream trainer = new ByteArrayOutputStream();
        writeVarintField(trainer, 3, 2);                 // model_type = BPE
        writeVarintField(trainer, 4, pieces.size());     // vocab_size
        writeVarintField(trainer, 35, 1);                // byte_fallback
        writeBytes(model, 2, trainer.toByteArray());
        ByteArrayOutputStream normalizer = new ByteArrayOutputStream();
        writeString(normalizer, 1, "identity");
        writeVarintField(normalizer, 3, 1);              // add_dummy_prefix
        writeVarintField(normalizer, 4, 1);              // remove_extra_whitespaces
        writeVarintField(normalizer, 5, 1);              // escape_whitespaces
        writeBytes(model, 3, normalizer.toByteArray());
        Path file = dir.resolve("tiny.model");
        Files.write(file, model.toByteArray());
        return file;
    }

    private static void writeTag(ByteArrayOutputStream out, int field, int wireType) {
        writeVarint(out, (long) field << 3 | wireType);
    }

    private static void writeVarintField(ByteArrayOutputStream out, int field, long value) {
        writeTag(out, field, 0);
        writeVarint(out, value);
    }

    private static void writeString(ByteArrayOutputStream out, int field, String s) {
        writeBytes(out, field, s.getBytes(StandardCharsets.UTF_8));
    }

    private static void writeBytes(ByteArrayOutputStream out, int field, byte[] bytes) {
        writeTag(out, field, 2);
        writeVarint(out, bytes.length);
        out.writeBytes(bytes);
    }

    private static void writeVarint(ByteArrayOutputStream out, long value) {
        while ((value & ~0x7fL) != 0) {
            out.write((int) (value & 0x7f) | 0x80);
            value >>>= 7;
        }
        out.write((int) value);
    }

    /** GPT-2's byte-to-character table of byte-level BPE (printable Latin-1 stays, the rest moves to 256+). */
    static Map<Integer, String> byteLevelAlphabet() {
        Map<Integer, String> table = new LinkedHashMap<>();
        int shifted = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            table.put(b, new String(Character.toChars(printable ? b : 256 + shifted++)));
        }
        return table;
    }

    /** Merges of the byte-level test tokenizer; merged token k gets id 256 + k. */
    static final List<String> BPE_MERGES = List.of("h e", "he l", "hel l", "hell o",
            "\u0120 w", "\u0120w o", "\u0120wo r", "\u0120wor l", "\u0120worl d");

    /**
     * A byte-level BPE {@code tokenizer.json} (GPT-2 layout): ids 0..255 are the bytes, then {@link #BPE_MERGES},
     * then one special token {@code <|endoftext|>}. {@code lowercase} adds a Lowercase normalizer.
     */
    static Path byteLevelTokenizerJson(Path dir, boolean lowercase) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ObjectNode vocab = json.createObjectNode();
        byteLevelAlphabet().forEach((b, ch) -> vocab.put(ch, b));
        ArrayNode merges = json.createArrayNode();
        for (String merge : BPE_MERGES) {
            merges.add(merge);
            vocab.put(merge.replace(" ", ""), vocab.size());
        }
        ObjectNode special = root.putArray("added_tokens").addObject();
        special.put("id", vocab.size());
        special.put("content", "<|endoftext|>");
        special.put("single_word", false);
        special.put("lstrip", false);
        special.put("rstrip", false);
        special.put("normalized", false);
        special.put("special", true);
        if (lowercase) {
            root.putObject("normalizer").put("type", "Lowercase");
        } else {
            root.putNull("normalizer");
        }
        root.set("pre_tokenizer", byteLevel(json));
        root.set("post_processor", byteLevel(json));
        root.set("decoder", byteLevel(json));
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.set("vocab", vocab);
        model.set("merges", merges);
        Path file = dir.resolve(lowercase ? "lower-tokenizer.json" : "tokenizer.json");
        json.writeValue(file.toFile(), root);
        return file;
    }

    private static ObjectNode byteLevel(ObjectMapper json) {
        ObjectNode node = json.createObjectNode();
        node.put("type", "ByteLevel");
        node.put("add_prefix_space", false);
        node.put("trim_offsets", false);
        node.put("use_regex", true);
        return node;
    }
}
