package dev.blt.data.tokenizer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts of a SentencePiece {@code ModelProto} ({@code sentencepiece_model.proto}) that decoding needs: the
 * pieces with their types and the normalizer flags. Read directly from the protobuf wire format, so no protobuf
 * runtime is needed and the native library's decoder (which mangles 4-byte UTF-8) can be avoided.
 */
public final class SentencePieceModel {
    /** {@code ModelProto.SentencePiece.Type}. */
    public enum PieceType { NORMAL, UNKNOWN, CONTROL, USER_DEFINED, UNUSED, BYTE }

    private final List<String> pieces;
    private final List<PieceType> types;
    private final boolean addDummyPrefix;
    private final boolean removeExtraWhitespaces;

    private SentencePieceModel(List<String> pieces, List<PieceType> types, boolean addDummyPrefix, boolean removeExtraWhitespaces) {
        this.pieces = pieces;
        this.types = types;
        this.addDummyPrefix = addDummyPrefix;
        this.removeExtraWhitespaces = removeExtraWhitespaces;
    }

    public static SentencePieceModel read(Path file) throws IOException {
        try {
            return parse(Files.readAllBytes(file));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": not a SentencePiece model: " + e.getMessage(), e);
        }
    }

    /** Parses a serialized {@code ModelProto}; throws IllegalArgumentException on malformed input. */
    public static SentencePieceModel parse(byte[] proto) {
        List<String> pieces = new ArrayList<>();
        List<PieceType> types = new ArrayList<>();
        boolean[] flags = {true, true}; // proto defaults: add_dummy_prefix, remove_extra_whitespaces
        ProtoReader model = new ProtoReader(proto, 0, proto.length);
        while (model.hasMore()) {
            int tag = model.tag();
            if (tag == (1 << 3 | 2)) {
                ProtoReader piece = model.message();
                String text = null;
                PieceType type = PieceType.NORMAL;
                while (piece.hasMore()) {
                    int t = piece.tag();
                    if (t == (1 << 3 | 2)) {
                        text = piece.string();
                    } else if (t == (3 << 3)) {
                        type = pieceType((int) piece.varint());
                    } else {
                        piece.skip(t);
                    }
                }
                if (text == null) {
                    throw new IllegalArgumentException("piece " + pieces.size() + " has no text");
                }
                pieces.add(text);
                types.add(type);
            } else if (tag == (3 << 3 | 2)) {
                ProtoReader normalizer = model.message();
                while (normalizer.hasMore()) {
                    int t = normalizer.tag();
                    if (t == (3 << 3) || t == (4 << 3)) {
                        flags[(t >>> 3) - 3] = normalizer.varint() != 0;
                    } else {
                        normalizer.skip(t);
                    }
                }
            } else {
                model.skip(tag);
            }
        }
        if (pieces.isEmpty()) {
            throw new IllegalArgumentException("no pieces");
        }
        return new SentencePieceModel(List.copyOf(pieces), List.copyOf(types), flags[0], flags[1]);
    }

    private static PieceType pieceType(int code) {
        switch (code) {
            case 1: return PieceType.NORMAL;
            case 2: return PieceType.UNKNOWN;
            case 3: return PieceType.CONTROL;
            case 4: return PieceType.USER_DEFINED;
            case 5: return PieceType.UNUSED;
            case 6: return PieceType.BYTE;
            default: throw new IllegalArgumentException("unknown piece type " + code);
        }
    }

    public int size() {
        return pieces.size();
    }

    public String piece(int id) {
        return pieces.get(id);
    }

    public PieceType type(int id) {
        return types.get(id);
    }

    /** The byte a {@code <0xNN>} BYTE piece stands for. */
    public int byteValue(int id) {
        return Integer.parseInt(pieces.get(id).substring(3, 5), 16);
    }

    /** Whether the normalizer adds or keeps a leading ▁ that decoding must strip from the first piece. */
    public boolean stripsLeadingSpace() {
        return addDummyPrefix || removeExtraWhitespaces;
    }

    /** Minimal protobuf wire-format reader over a slice of a byte array. */
    private static final class ProtoReader {
        private final byte[] buf;
        private int pos;
        private final int end;

        ProtoReader(byte[] buf, int pos, int end) {
            this.buf = buf;
            this.pos = pos;
            this.end = end;
        }

        boolean hasMore() {
            return pos < end;
        }

        int tag() {
            return (int) varint();
        }

        long varint() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= end) {
                    throw new IllegalArgumentException("truncated varint at byte " + pos);
                }
                byte b = buf[pos++];
                value |= (long) (b & 0x7f) << shift;
                if (b >= 0) {
                    return value;
                }
            }
            throw new IllegalArgumentException("varint too long at byte " + pos);
        }

        ProtoReader message() {
            int length = length();
            ProtoReader sub = new ProtoReader(buf, pos, pos + length);
            pos += length;
            return sub;
        }

        String string() {
            int length = length();
            String s = new String(buf, pos, length, StandardCharsets.UTF_8);
            pos += length;
            return s;
        }

        private int length() {
            long length = varint();
            if (length < 0 || length > end - pos) {
                throw new IllegalArgumentException("length " + length + " at byte " + pos + " runs past the end");
            }
            return (int) length;
        }

        void skip(int tag) {
            switch (tag & 7) {
                case 0: varint(); break;
                case 1: advance(8); break;
                case 2: advance(length()); break;
                case 5: advance(4); break;
                default: throw new IllegalArgumentException("unsupported wire type " + (tag & 7) + " at byte " + pos);
            }
        }

        private void advance(int n) {
            if (n > end - pos) {
                throw new IllegalArgumentException("field runs past the end at byte " + pos);
            }
            pos += n;
        }
    }
}
