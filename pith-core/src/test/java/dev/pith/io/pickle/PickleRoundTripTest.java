package dev.pith.io.pickle;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever value tree the Pickler writes, the Unpickler reads back equal. */
class PickleRoundTripTest {
    private static final BigInteger BIG = BigInteger.ONE.shiftLeft(300);

    @Property(tries = 250)
    void pickledValuesReadBackEqual(@ForAll("values") Object value) {
        byte[] bytes = new Pickler(PicklerHooks.NONE).dump(value);
        Object back = UnpicklerCPythonTest.unpickler().load(bytes);
        assertThat(DeepEquals.difference(value, back)).isNull();
    }

    @Property(tries = 12)
    void longListsAndDictsAcrossBatchBoundariesReadBackEqual(
            @ForAll @net.jqwik.api.constraints.IntRange(min = 995, max = 2005) int size, @ForAll long seed) {
        java.util.Random random = new java.util.Random(seed);
        List<Object> list = new ArrayList<>();
        PyOrderedDict od = new PyOrderedDict();
        LinkedHashMap<Object, Object> dict = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            list.add(random.nextLong());
            od.put((long) i, "v" + i);
            dict.put("k" + i, (double) i);
        }
        List<Object> value = new ArrayList<>(List.of(list, od, dict));
        Object back = UnpicklerCPythonTest.unpickler().load(new Pickler(PicklerHooks.NONE).dump(value));
        assertThat(DeepEquals.difference(value, back)).isNull();
    }

    @Property(tries = 60)
    void sharedValuesStayShared(@ForAll("values") Object value) {
        List<Object> twice = new ArrayList<>(List.of(new ArrayList<>(List.of(value == null ? 0L : value)), "x"));
        twice.add(twice.get(0));
        List<?> back = (List<?>) UnpicklerCPythonTest.unpickler().load(new Pickler(PicklerHooks.NONE).dump(twice));
        assertThat(back.get(2)).isSameAs(back.get(0));
        assertThat(DeepEquals.difference(twice, back)).isNull();
    }

    @Provide
    Arbitrary<Object> values() {
        return Arbitraries.recursive(PickleRoundTripTest::leaves, PickleRoundTripTest::containers, 0, 4);
    }

    private static Arbitrary<Object> leaves() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.longs().map(x -> (Object) x)),
                net.jqwik.api.Tuple.of(2, Arbitraries.bigIntegers().between(BIG.negate(), BIG)
                        .filter(b -> b.bitLength() >= 64).map(x -> (Object) x)),
                net.jqwik.api.Tuple.of(3, Arbitraries.doubles().map(x -> (Object) x)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                        -0.0, Double.MIN_VALUE, Double.MAX_VALUE).map(x -> (Object) x)),
                net.jqwik.api.Tuple.of(4, Arbitraries.strings().all().ofMaxLength(20).map(x -> (Object) x)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(true, false).map(x -> (Object) x)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just((Object) null)),
                net.jqwik.api.Tuple.of(2, Arbitraries.bytes().array(byte[].class).ofMaxSize(40).map(x -> (Object) x)),
                net.jqwik.api.Tuple.of(1, Combinators.combine(Arbitraries.doubles(), Arbitraries.doubles())
                        .as((re, im) -> (Object) new PyComplex(re, im))),
                net.jqwik.api.Tuple.of(1, keys().set().ofMaxSize(5).map(s -> (Object) new LinkedHashSet<>(s))));
    }

    /** Hashable keys: ints, strings, and tuples of them. */
    private static Arbitrary<Object> keys() {
        Arbitrary<Object> scalar = Arbitraries.oneOf(Arbitraries.longs().map(x -> (Object) x),
                Arbitraries.strings().ofMaxLength(8).map(x -> (Object) x));
        return Arbitraries.oneOf(scalar, scalar.list().ofMaxSize(3).map(l -> (Object) new PyTuple(l)));
    }

    private static Arbitrary<Object> containers(Arbitrary<Object> inner) {
        Arbitrary<Object> list = inner.list().ofMaxSize(5).map(l -> (Object) new ArrayList<>(l));
        Arbitrary<Object> tuple = inner.list().ofMaxSize(5).map(l -> (Object) new PyTuple(l));
        Arbitrary<Object> dict = Arbitraries.maps(keys(), inner).ofMaxSize(5).map(m -> (Object) new LinkedHashMap<>(m));
        Arbitrary<Object> ordered = Combinators.combine(Arbitraries.maps(keys(), inner).ofMaxSize(5),
                Arbitraries.maps(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(6), inner).ofMaxSize(2))
                .as((m, attributes) -> {
                    PyOrderedDict od = new PyOrderedDict(m);
                    od.attributes().putAll(attributes);
                    return (Object) od;
                });
        return Arbitraries.oneOf(list, tuple, dict, ordered);
    }
}
