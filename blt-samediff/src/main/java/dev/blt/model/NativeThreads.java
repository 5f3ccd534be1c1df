package dev.blt.model;

import org.nd4j.linalg.factory.Nd4j;

/** How many native threads ND4J's ops and its BLAS use: one setting for the whole process. */
public final class NativeThreads {
    private NativeThreads() {
    }

    /** Every op and BLAS call on {@code threads} threads. */
    public static void set(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
    }

    /** The machine's cores shared among {@code streams} scoring threads (at least one each). */
    public static void share(int streams) {
        set(Math.max(1, Runtime.getRuntime().availableProcessors() / streams));
    }

    /** Streams by default: two where there are two cores or more (each then drives half of them). */
    public static int defaultStreams() {
        return Runtime.getRuntime().availableProcessors() >= 2 ? 2 : 1;
    }
}
