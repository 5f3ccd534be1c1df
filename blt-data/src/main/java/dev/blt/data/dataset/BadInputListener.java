package dev.blt.data.dataset;

/** Receives the records and files skipped under {@link OnError#SKIP_AND_REPORT}. */
@FunctionalInterface
public interface BadInputListener {
    void skipped(BadInput problem);
}
