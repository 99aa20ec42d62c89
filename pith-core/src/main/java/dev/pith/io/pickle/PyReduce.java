package dev.pith.io.pickle;

/**
 * How the {@link Pickler} writes a value it does not know itself: {@code GLOBAL callable},
 * {@code args} tuple, {@code REDUCE}, and, when {@code state} is not null, {@code state BUILD}.
 * This is Python's {@code __reduce__} protocol, supplied from Java by {@link PicklerHooks}.
 *
 * <pre>{@code
 * // torch.Size([2, 3])
 * new PyReduce(new PyGlobal("torch", "Size"), PyTuple.of(PyTuple.of(2L, 3L)), null);
 * }</pre>
 */
public record PyReduce(PyGlobal callable, PyTuple args, Object state) {
}
