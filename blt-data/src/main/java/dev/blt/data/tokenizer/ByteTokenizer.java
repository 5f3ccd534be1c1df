package dev.blt.data.tokenizer;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * BLT's byte tokenizer: every byte {@code b} becomes id {@code b + 4}; ids 0..3 are special.
 * Matches upstream {@code BltTokenizer} without BPE delimiters (vocabulary 260).
 */
public final class ByteTokenizer {
    public static final int BOE_ID = 0;
    public static final int BOS_ID = 1;
    public static final int EOS_ID = 2;
    public static final int BPE_ID = 3;
    public static final int OFFSET = 4;
    public static final int VOCAB_SIZE = 256 + OFFSET;

    private ByteTokenizer() {
    }

    /**
     * Encodes text as UTF-8. Like Python's {@code encode("utf-8", errors="ignore")}, unpaired surrogates are
     * dropped (Java would otherwise write '?').
     */
    public static int[] encode(String text, boolean addBos, boolean addEos) {
        return encode(utf8IgnoringLoneSurrogates(text), addBos, addEos);
    }

    public static int[] encode(byte[] bytes, boolean addBos, boolean addEos) {
        int n = bytes.length + (addBos ? 1 : 0) + (addEos ? 1 : 0);
        int[] ids = new int[n];
        int k = 0;
        if (addBos) {
            ids[k++] = BOS_ID;
        }
        for (byte b : bytes) {
            ids[k++] = (b & 0xff) + OFFSET;
        }
        if (addEos) {
            ids[k] = EOS_ID;
        }
        return ids;
    }

    /** The bytes behind the ids, with special ids (below {@link #OFFSET}) dropped. */
    public static byte[] decodeBytes(int[] ids) {
        int n = 0;
        for (int id : ids) {
            checkId(id);
            if (id >= OFFSET) {
                n++;
            }
        }
        byte[] out = new byte[n];
        int k = 0;
        for (int id : ids) {
            if (id >= OFFSET) {
                out[k++] = (byte) (id - OFFSET);
            }
        }
        return out;
    }

    /**
     * Text behind the ids. As upstream ({@code bytes.decode("utf-8", errors="ignore")}), invalid UTF-8
     * sequences are dropped rather than replaced.
     */
    public static String decode(int[] ids) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.IGNORE)
                    .onUnmappableCharacter(CodingErrorAction.IGNORE)
                    .decode(ByteBuffer.wrap(decodeBytes(ids)))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("IGNORE decoder cannot fail", e);
        }
    }

    private static void checkId(int id) {
        if (id < 0 || id >= VOCAB_SIZE) {
            throw new IllegalArgumentException("token id " + id + " is outside the byte vocabulary [0, " + VOCAB_SIZE + ")");
        }
    }

    static byte[] utf8IgnoringLoneSurrogates(String text) {
        StringBuilder clean = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            if (paired) {
                if (clean != null) {
                    clean.append(c).append(text.charAt(i + 1));
                }
                i++;
            } else if (Character.isSurrogate(c)) {
                if (clean == null) {
                    clean = new StringBuilder(text.length()).append(text, 0, i);
                }
            } else if (clean != null) {
                clean.append(c);
            }
        }
        return (clean == null ? text : clean.toString()).getBytes(StandardCharsets.UTF_8);
    }
}
