package dev.pith.optim;

import dev.pith.io.pickle.PyTuple;
import dev.pith.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Compares two state-dict value trees as PyTorch would see them: maps with the same keys in the same
 * order, lists and tuples item by item, numbers and booleans of the same Python type and value,
 * tensors of the same dtype and shape with the same bits. Failures name the path.
 */
public final class ValueAssert {
    private ValueAssert() {
    }

    public static void assertSameValue(Object actual, Object expected) {
        compare(actual, expected, "$");
    }

    private static void compare(Object actual, Object expected, String path) {
        switch (expected) {
            case null -> assertThat(actual).as(path).isNull();
            case Tensor e -> {
                assertThat(actual).as(path).isInstanceOf(Tensor.class);
                Tensor a = (Tensor) actual;
                assertThat(a.dtype()).as(path + " dtype").isEqualTo(e.dtype());
                assertThat(a.shape()).as(path + " shape").isEqualTo(e.shape());
                if (!Arrays.equals(a.toByteArray(), e.toByteArray())) {
                    fail(path + ": tensor values differ:\n actual   " + Arrays.toString(a.toDoubleArray())
                            + "\n expected " + Arrays.toString(e.toDoubleArray()));
                }
            }
            case Map<?, ?> e -> {
                assertThat(actual).as(path).isInstanceOf(Map.class);
                Map<?, ?> a = (Map<?, ?>) actual;
                assertThat(new ArrayList<>(a.keySet())).as(path + " keys").isEqualTo(new ArrayList<>(e.keySet()));
                Iterator<? extends Map.Entry<?, ?>> ai = a.entrySet().iterator();
                for (Map.Entry<?, ?> ee : e.entrySet()) {
                    compare(ai.next().getValue(), ee.getValue(), path + "[" + ee.getKey() + "]");
                }
            }
            case PyTuple e -> {
                assertThat(actual).as(path).isInstanceOf(PyTuple.class);
                compareItems(((PyTuple) actual).items(), e.items(), path);
            }
            case List<?> e -> {
                assertThat(actual).as(path).isInstanceOf(List.class);
                compareItems((List<?>) actual, e, path);
            }
            default -> {
                assertThat(actual).as(path).isNotNull();
                assertThat(actual.getClass()).as(path + " type").isEqualTo(expected.getClass());
                assertThat(actual).as(path).isEqualTo(expected);
            }
        }
    }

    private static void compareItems(List<?> actual, List<?> expected, String path) {
        assertThat(actual).as(path + " size").hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            compare(actual.get(i), expected.get(i), path + "[" + i + "]");
        }
    }

    /** The bits of each tensor of {@code tensors}, for exact comparison. */
    static List<byte[]> bits(List<? extends Tensor> tensors) {
        return tensors.stream().map(Tensor::toByteArray).toList();
    }
}
