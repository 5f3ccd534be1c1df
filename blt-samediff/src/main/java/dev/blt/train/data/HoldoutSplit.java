package dev.blt.train.data;

import java.io.IOException;

/**
 * Splits a source deterministically by document index: document {@code i} is held out when
 * {@code floor((i + 1) f) > floor(i f)}, which spreads a fraction {@code f} evenly through the corpus
 * (so a corpus sorted by genre or author gives a held-out set with the same mix).
 */
public final class HoldoutSplit implements DocumentSource {
    private final DocumentSource source;
    private final double fraction;
    private final boolean heldOut;

    private HoldoutSplit(DocumentSource source, double fraction, boolean heldOut) {
        if (!(fraction >= 0 && fraction < 1)) {
            throw new IllegalArgumentException("holdout fraction must be in [0, 1), got " + fraction);
        }
        this.source = source;
        this.fraction = fraction;
        this.heldOut = heldOut;
    }

    public static HoldoutSplit training(DocumentSource source, double fraction) {
        return new HoldoutSplit(source, fraction, false);
    }

    public static HoldoutSplit heldOut(DocumentSource source, double fraction) {
        return new HoldoutSplit(source, fraction, true);
    }

    static boolean isHeldOut(long index, double fraction) {
        return Math.floor((index + 1) * fraction) > Math.floor(index * fraction);
    }

    @Override
    public DocumentStream open() throws IOException {
        DocumentStream in = source.open();
        return new DocumentStream() {
            private long index;

            @Override
            public byte[] next() throws IOException {
                byte[] doc;
                while ((doc = in.next()) != null) {
                    if (isHeldOut(index++, fraction) == heldOut) {
                        return doc;
                    }
                }
                return null;
            }

            @Override
            public void close() throws IOException {
                in.close();
            }
        };
    }
}
