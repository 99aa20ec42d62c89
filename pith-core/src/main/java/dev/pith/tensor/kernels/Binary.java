package dev.pith.tensor.kernels;

/**
 * Element-wise binary operations over float32 rows, with a separate plain loop per operation so
 * that each vectorises: {@code z = x op y} where row r of the output (length {@code len}) reads x
 * from {@code xRows[r]} in steps of {@code xStep} (0 for a broadcast value) and y likewise.
 */
public enum Binary {
    /** {@code x + y}. */
    ADD,
    /** {@code x - y}. */
    SUB,
    /** {@code x * y}. */
    MUL,
    /** {@code x / y}. */
    DIV,
    /** {@code max(x + y, 0)}: a residual block's sum and ReLU in one pass. */
    ADD_RELU;

    /** {@code z[i] = x[i] op y[i]} for i in [0, n): both operands dense and of the output's shape. */
    public void apply(float[] x, float[] y, float[] z, int n) {
        switch (this) {
            case ADD -> {
                for (int i = 0; i < n; i++) {
                    z[i] = x[i] + y[i];
                }
            }
            case SUB -> {
                for (int i = 0; i < n; i++) {
                    z[i] = x[i] - y[i];
                }
            }
            case MUL -> {
                for (int i = 0; i < n; i++) {
                    z[i] = x[i] * y[i];
                }
            }
            case DIV -> {
                for (int i = 0; i < n; i++) {
                    z[i] = x[i] / y[i];
                }
            }
            case ADD_RELU -> {
                for (int i = 0; i < n; i++) {
                    z[i] = Math.max(x[i] + y[i], 0f);
                }
            }
        }
    }

    /** The broadcasting form: output row r is {@code z[r*len ..]}, operands read through row offsets and steps. */
    public void apply(float[] x, int[] xRows, int xStep, float[] y, int[] yRows, int yStep, int len, float[] z) {
        for (int r = 0; r < xRows.length; r++) {
            int xi = xRows[r];
            int yi = yRows[r];
            int zi = r * len;
            if (xStep == 1 && yStep == 1) {
                for (int i = 0; i < len; i++) {
                    z[zi + i] = apply(x[xi + i], y[yi + i]);
                }
            } else if (xStep == 1 && yStep == 0) {
                float v = y[yi];
                for (int i = 0; i < len; i++) {
                    z[zi + i] = apply(x[xi + i], v);
                }
            } else {
                for (int i = 0; i < len; i++, xi += xStep, yi += yStep) {
                    z[zi + i] = apply(x[xi], y[yi]);
                }
            }
        }
    }

    /** The operation on one pair. */
    public float apply(float x, float y) {
        return switch (this) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
            case ADD_RELU -> Math.max(x + y, 0f);
        };
    }

    /** The operation on one pair of doubles. */
    public double apply(double x, double y) {
        return switch (this) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
            case ADD_RELU -> Math.max(x + y, 0);
        };
    }
}
