package dev.blt.data.torch;

import java.util.List;

/** A whitelisted global that a pickle may call with REDUCE; implemented in Java, never looked up by name. */
interface PickleFunction {
    Object call(List<Object> args) throws PickleException;
}
