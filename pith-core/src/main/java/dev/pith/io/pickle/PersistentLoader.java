package dev.pith.io.pickle;

/**
 * Turns a persistent id ({@code BINPERSID}/{@code PERSID}) into a value: PyTorch stores every
 * storage as {@code ('storage', StorageClass, key, location, numel)} and keeps the bytes outside
 * the pickle.
 */
@FunctionalInterface
public interface PersistentLoader {
    /**
     * @param pid the persistent id as read (a {@link PyTuple} for torch files)
     * @throws dev.pith.FileFormatException if the id is malformed or names missing data
     */
    Object load(Object pid);

    /** A loader that refuses every persistent id (plain pickles have none). */
    PersistentLoader NONE = pid -> {
        throw new dev.pith.FileFormatException("unexpected persistent id (a "
                + (pid == null ? "None" : pid.getClass().getSimpleName()) + "): this pickle expects data kept outside it");
    };
}
