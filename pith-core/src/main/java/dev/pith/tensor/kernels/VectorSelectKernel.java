package dev.pith.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link SelectKernel} with the Vector API: a compare and a blend per vector, no branches. Loaded
 * only when the Vector API is present.
 */
final class VectorSelectKernel implements SelectKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Ints in vectors of the same lane count, for the indices beside the values. */
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, S.vectorShape());
    /** Lane numbers 0, 1, 2, ... */
    private static final IntVector LANES = IntVector.zero(I).addIndex(1);
    /** Where the lanes of a stride-2 row are: 0, 2, 4, ... */
    private static final int[] EVERY_OTHER = LANES.mul(2).toArray();
    private static final SelectKernel SCALAR = new Scalar();

    @Override
    public void whereAbove(float[] key, float threshold, float[] value, float[] out, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector k = FloatVector.fromArray(S, key, i);
            FloatVector.fromArray(S, value, i).blend(0f, k.compare(VectorOperators.LE, threshold)).intoArray(out, i);
        }
        for (; i < n; i++) {
            out[i] = key[i] <= threshold ? 0f : value[i];
        }
    }

    @Override
    public void maxUpdate(float[] x, int xOff, int xStride, float[] max, int[] index, int mOff, int n, int index0,
                          int indexStride) {
        if (xStride > 2) {   // wider strides: the plain loop
            SCALAR.maxUpdate(x, xOff, xStride, max, index, mOff, n, index0, indexStride);
            return;
        }
        // contiguous, or every other column (a stride-2 pool), read as lanes; with stride 1 the last,
        // partial vector runs under a mask, so that short rows (a 14-wide feature map) are vectors too
        IntVector step = LANES.mul(indexStride);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector v = xStride == 1 ? FloatVector.fromArray(S, x, xOff + i)
                    : FloatVector.fromArray(S, x, xOff + i * xStride, EVERY_OTHER, 0);
            FloatVector m = FloatVector.fromArray(S, max, mOff + i);
            VectorMask<Float> wins = v.compare(VectorOperators.GT, m).or(v.test(VectorOperators.IS_NAN));
            m.blend(v, wins).intoArray(max, mOff + i);
            IntVector at = step.add(index0 + i * indexStride);
            IntVector.fromArray(I, index, mOff + i).blend(at, wins.cast(I)).intoArray(index, mOff + i);
        }
        if (i < n && xStride == 1) {
            VectorMask<Float> live = S.indexInRange(i, n);
            FloatVector v = FloatVector.fromArray(S, x, xOff + i, live);
            FloatVector m = FloatVector.fromArray(S, max, mOff + i, live);
            VectorMask<Float> wins = v.compare(VectorOperators.GT, m).or(v.test(VectorOperators.IS_NAN)).and(live);
            m.blend(v, wins).intoArray(max, mOff + i, live);
            IntVector at = step.add(index0 + i * indexStride);
            VectorMask<Integer> liveI = live.cast(I);
            IntVector.fromArray(I, index, mOff + i, liveI).blend(at, wins.cast(I)).intoArray(index, mOff + i, liveI);
        } else if (i < n) {   // a masked gather checks every lane's index, so the last columns go one by one
            SCALAR.maxUpdate(x, xOff + i * xStride, xStride, max, index, mOff + i, n - i, index0 + i * indexStride,
                    indexStride);
        }
    }
}
