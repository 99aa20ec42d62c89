/**
 * Python's pickle format without Python: an {@link dev.pith.io.pickle.Unpickler} that reads every
 * opcode of protocols 0 to 5 and can only produce values through an allow-list
 * ({@link dev.pith.io.pickle.GlobalResolver}, e.g. {@link dev.pith.io.pickle.PythonBuiltins}),
 * and a {@link dev.pith.io.pickle.Pickler} that writes protocol 2 byte for byte as CPython does.
 * Python values map to Java ones: int → {@code Long}/{@code BigInteger}, float → {@code Double},
 * str → {@code String}, bytes → {@code byte[]}, tuple → {@link dev.pith.io.pickle.PyTuple}, list →
 * {@code ArrayList}, dict → {@code LinkedHashMap}, {@code OrderedDict} →
 * {@link dev.pith.io.pickle.PyOrderedDict}, set → {@code LinkedHashSet}.
 *
 * <pre>{@code
 * byte[] bytes = new Pickler(PicklerHooks.NONE).dump(List.of(1L, "two", PyTuple.of(3.0)));
 * Object back = new Unpickler(PythonBuiltins.INSTANCE, PersistentLoader.NONE, PickleLimits.DEFAULTS).load(bytes);
 * }</pre>
 */
package dev.pith.io.pickle;
