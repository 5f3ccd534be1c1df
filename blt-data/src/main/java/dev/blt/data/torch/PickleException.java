package dev.blt.data.torch;

/** A pickle that is malformed or asks for something a data-only reader refuses. */
final class PickleException extends Exception {
    PickleException(String problem) {
        super(problem);
    }
}
