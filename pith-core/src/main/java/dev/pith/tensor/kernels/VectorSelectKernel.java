package dev.pith.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link SelectKernel} with the Vector API: a compare and a blend per vector, no branches. Loaded
 * only when the Vector API is present.
 */
final class VectorSelectKernel implements SelectKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

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
}
