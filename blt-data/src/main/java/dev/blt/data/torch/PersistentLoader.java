package dev.blt.data.torch;

/** Turns a pickle's persistent id (BINPERSID) into an object; torch uses them for tensor storages. */
interface PersistentLoader {
    Object load(Object pid) throws PickleException;
}
