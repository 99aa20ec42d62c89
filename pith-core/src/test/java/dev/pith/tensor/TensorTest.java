package dev.pith.tensor;

import dev.pith.ShapeException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TensorTest {
    private static Tensor arange(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i;
        }
        return Tensor.fromFloats(v, n);
    }

    @Test
    void viewsShareStorageAndReadThroughStrides() {
        Tensor base = arange(10);
        Tensor m = base.view(2, 5);
        Tensor t = m.t();
        assertThat(t.shape()).containsExactly(5, 2);
        assertThat(t.stride()).containsExactly(1, 5);
        assertThat(t.storage()).isSameAs(base.storage());
        assertThat(t.toFloatArray()).containsExactly(0, 5, 1, 6, 2, 7, 3, 8, 4, 9);
        assertThat(t.isContiguous()).isFalse();

        Tensor steps = base.slice(0, 1, 10, 2);
        assertThat(steps.toFloatArray()).containsExactly(1, 3, 5, 7, 9);
        assertThat(steps.storageOffset()).isEqualTo(1);
        assertThat(base.narrow(0, 2, 3).toFloatArray()).containsExactly(2, 3, 4);
        assertThat(m.select(1, 2).toFloatArray()).containsExactly(2, 7);

        steps.setDouble(42, 0);
        assertThat(base.getDouble(1)).isEqualTo(42);
    }

    @Test
    void expandUsesStrideZeroWithoutCopying() {
        Tensor col = Tensor.fromFloats(new float[]{1, 2, 3}, 3, 1);
        Tensor e = col.expand(3, 4);
        assertThat(e.stride()).containsExactly(1, 0);
        assertThat(e.storage().byteSize()).isEqualTo(12);
        assertThat(e.toFloatArray()).containsExactly(1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3);
        assertThat(e.copy().storage().byteSize()).isEqualTo(48);
    }

    @Test
    void viewOutsideStorageIsRefused() {
        Storage s = Storage.allocate(12);
        assertThatThrownBy(() -> Tensor.of(s, DType.FLOAT32, 1, new long[]{3}, new long[]{1}))
                .isInstanceOf(ShapeException.class).hasMessageContaining("needs 16 bytes");
        assertThatThrownBy(() -> Tensor.of(s, DType.FLOAT32, 0, new long[]{Long.MAX_VALUE / 2}, new long[]{4}))
                .isInstanceOf(ShapeException.class).hasMessageContaining("overflows");
        assertThatThrownBy(() -> Tensor.of(s, DType.FLOAT32, 0, new long[]{2}, new long[]{-1}))
                .isInstanceOf(ShapeException.class);
        // an empty tensor needs no bytes, wherever it points
        assertThat(Tensor.of(s, DType.FLOAT32, 100, new long[]{0, 5}, new long[]{5, 1}).numel()).isZero();
    }

    @Test
    void conversionsRoundAsPyTorch() {
        Tensor x = Tensor.fromDoubles(new double[]{1.5, -2.7, 65520, 1e-8, Double.NaN}, 5);
        Tensor h = x.to(DType.FLOAT16);
        assertThat(h.getDouble(0)).isEqualTo(1.5);
        assertThat(h.getDouble(2)).isInfinite();   // beyond float16's max 65504 rounds to inf
        assertThat(Double.isNaN(h.getDouble(4))).isTrue();
        Tensor b = x.to(DType.BFLOAT16);
        assertThat(b.getDouble(1)).isEqualTo(-2.703125);
        assertThat(Double.isNaN(b.getDouble(4))).isTrue();
        Tensor i = x.narrow(0, 0, 2).to(DType.INT32);
        assertThat(i.toLongArray()).containsExactly(1, -2);
        Tensor bool = Tensor.fromLongs(new long[]{0, 3, -1}, 3).to(DType.BOOL);
        assertThat(bool.toByteArray()).containsExactly(0, 1, 1);
    }

    @Test
    void complexKeepsBothParts() {
        Tensor c = Tensor.zeros(DType.COMPLEX64, 2);
        DType.COMPLEX64.writeComplex(c.storage().segment(), 8, 1.5, -2.5);
        Tensor d = c.to(DType.COMPLEX128);
        assertThat(DType.COMPLEX128.readDouble(d.storage().segment(), 16)).isEqualTo(1.5);
        assertThat(DType.COMPLEX128.readImag(d.storage().segment(), 16)).isEqualTo(-2.5);
    }

    @Test
    void bytesAreRowMajorLittleEndian() {
        Tensor t = Tensor.fromFloats(new float[]{1, 2, 3, 4}, 2, 2).t();
        assertThat(t.toByteArray()).containsExactly(
                0, 0, (byte) 0x80, 0x3F, 0, 0, 0x40, 0x40, 0, 0, 0, 0x40, 0, 0, (byte) 0x80, 0x40);
    }

    @Test
    void zeroDimTensorsHoldOneElement() {
        Tensor s = Tensor.scalar(DType.INT64, 7);
        assertThat(s.dim()).isZero();
        assertThat(s.numel()).isEqualTo(1);
        assertThat(s.item()).isEqualTo(7.0);
        assertThat(s.unsqueeze(0).shape()).containsExactly(1);
    }

    @Test
    void reshapeCopiesOnlyWhenNeeded() {
        Tensor m = arange(6).view(2, 3);
        assertThat(m.reshape(3, 2).storage()).isSameAs(m.storage());
        Tensor t = m.t();
        assertThatThrownBy(() -> t.view(6)).isInstanceOf(ShapeException.class);
        assertThat(t.reshape(-1).toFloatArray()).containsExactly(0, 3, 1, 4, 2, 5);
        assertThat(m.permute(1, 0).toFloatArray()).containsExactly(0, 3, 1, 4, 2, 5);
    }

    @Test
    void copyFromConvertsAndWritesThroughViews() {
        Tensor base = Tensor.zeros(DType.FLOAT64, 2, 3);
        base.t().copyFrom(Tensor.fromLongs(new long[]{1, 2, 3, 4, 5, 6}, 3, 2));
        assertThat(base.toDoubleArray()).containsExactly(1, 3, 5, 2, 4, 6);
    }
}
