package dev.pith.io.pickle;

/**
 * The value a pickle produced and the offset just after its {@code STOP} opcode (legacy torch files
 * hold several pickles one after another).
 */
public record Unpickled(Object value, long end) {
}
