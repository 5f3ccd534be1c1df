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

    /**
     * The threads each op may use now. libnd4j splits its loops over "master" threads; its pool size (max threads)
     * only grows, so that is not the number to read back.
     */
    public static int current() {
        return Nd4j.getEnvironment().maxMasterThreads();
    }
}
