package dev.blt.data.torch;

/** The globals a pickle may name. */
interface PickleGlobals {
    /** What stands for {@code module.name}, or null if a pickle may not use it. */
    Object resolve(String module, String name);

    /** The allowed names, for error messages. */
    String describe();
}
