package dev.pith.nn;

/**
 * An {@code int} or a tuple of ints, remembered as the caller gave it, as PyTorch keeps
 * {@code kernel_size=2} apart from {@code kernel_size=(2, 2)} in pooling layers' reprs.
 */
record PyInts(int[] values, boolean scalar) {
    /** One int, printed as {@code 2}. */
    static PyInts of(int value) {
        return new PyInts(new int[]{value}, true);
    }

    /** One value printed bare, or several printed as a tuple. */
    static PyInts ofArgs(int... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("at least one value expected");
        }
        return values.length == 1 ? of(values[0]) : new PyInts(values.clone(), false);
    }

    /** The values for {@code dims} dimensions (a scalar repeated). */
    int[] expand(int dims) {
        if (scalar) {
            int[] out = new int[dims];
            java.util.Arrays.fill(out, values[0]);
            return out;
        }
        if (values.length != dims) {
            throw new IllegalArgumentException("expected " + dims + " values, got " + values.length);
        }
        return values.clone();
    }

    @Override
    public String toString() {
        return scalar ? Integer.toString(values[0]) : PyRepr.pyTuple(values);
    }
}
