package dev.pith.io.pickle;

/**
 * Writes Java values as a protocol-2 pickle, with the opcodes and memoization CPython's pickler
 * uses for protocol 2 (as {@code torch.save} writes), so that PyTorch's {@code weights_only}
 * loader accepts the result.
 *
 * <p>Values: {@code null}, {@link Boolean}, {@link Integer}/{@link Long}/{@link java.math.BigInteger}
 * ({@code BININT1/BININT2/BININT/LONG1}), {@link Float}/{@link Double} ({@code BINFLOAT}),
 * {@link String} ({@code BINUNICODE}), {@code byte[]} ({@code _codecs.encode}), {@link PyTuple},
 * {@link java.util.List}, {@link java.util.Map} (a dict; a {@link PyOrderedDict} as
 * {@code collections.OrderedDict} with its attributes through {@code BUILD}), {@link java.util.Set},
 * {@link PyComplex}, {@link PyGlobal} (a bare {@code GLOBAL}), {@link PyObject}, {@link PyReduce};
 * anything else through {@link PicklerHooks}. An object met twice is written once and then fetched
 * from the memo, so shared values stay shared.
 *
 * <pre>{@code
 * byte[] bytes = new Pickler(PicklerHooks.NONE).dump(Map.of("epoch", 3L));
 * }</pre>
 */
public final class Pickler {
    private final PicklerHooks hooks;

    public Pickler(PicklerHooks hooks) {
        this.hooks = hooks;
    }

    /** The pickle of {@code value}, from {@code PROTO 2} to {@code STOP}. */
    public byte[] dump(Object value) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
