package dev.pith.nn;

import dev.pith.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Forward behaviour of layers whose logic lives in the module (BatchNorm's running statistics,
 * Dropout's train/eval switch, Conv2d's asymmetric "same" padding), compared with torch. They need
 * {@code dev.pith.nn.functional.F}; until it is implemented these tests are skipped.
 */
class LayerForwardTest {
    private static Map<String, String> torch;

    @BeforeAll
    static void runTorch() {
        torch = InlineTorchScript.run("""
                def fmt(t):
                    return ','.join(repr(float(v)) for v in t.detach().reshape(-1).tolist())
                x = torch.arange(12, dtype=torch.float32).reshape(4, 3) * 0.5
                x[:, 1] = x[:, 1] ** 2
                for name, bn in [('m', nn.BatchNorm1d(3)), ('none', nn.BatchNorm1d(3, momentum=None))]:
                    y = bn(x); y = bn(x * 2 + 1)
                    emit(name + '.y', fmt(y))
                    emit(name + '.mean', fmt(bn.running_mean))
                    emit(name + '.var', fmt(bn.running_var))
                    emit(name + '.n', int(bn.num_batches_tracked))
                    bn.eval()
                    emit(name + '.eval', fmt(bn(x)))
                conv = nn.Conv2d(1, 1, (4, 3), padding='same', bias=False)
                with torch.no_grad():
                    conv.weight.copy_(torch.arange(12, dtype=torch.float32).reshape(1, 1, 4, 3) / 10)
                emit('same', fmt(conv(torch.arange(25, dtype=torch.float32).reshape(1, 1, 5, 5))))
                """);
    }

    private static float[] floats(String csv) {
        String[] parts = csv.split(",");
        float[] out = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Float.parseFloat(parts[i]);
        }
        return out;
    }

    private static Tensor input() {
        float[] v = new float[12];
        for (int i = 0; i < 12; i++) {
            v[i] = i * 0.5f;
            if (i % 3 == 1) {
                v[i] = v[i] * v[i];
            }
        }
        return Tensor.fromFloats(v, 4, 3);
    }

    private static Tensor affine(Tensor x, float scale, float shift) {
        float[] v = x.toFloatArray();
        for (int i = 0; i < v.length; i++) {
            v[i] = v[i] * scale + shift;
        }
        return Tensor.fromFloats(v, x.shape());
    }

    @Test
    void batchNormUpdatesRunningStatisticsAsTorch() {
        for (String name : new String[]{"m", "none"}) {
            BatchNorm1d bn = name.equals("m") ? new BatchNorm1d(3) : BatchNorm1d.builder(3).momentum(null).build();
            bn.forward(input());
            Tensor y = bn.forward(affine(input(), 2, 1));
            assertThat(y.toFloatArray()).as(name).containsExactly(floats(torch.get(name + ".y")), within(1e-5f));
            assertThat(bn.runningMean().toFloatArray()).as(name).containsExactly(floats(torch.get(name + ".mean")), within(1e-5f));
            assertThat(bn.runningVar().toFloatArray()).as(name).containsExactly(floats(torch.get(name + ".var")), within(1e-4f));
            assertThat(bn.numBatchesTracked().getLong()).isEqualTo(Long.parseLong(torch.get(name + ".n")));
            bn.eval();
            assertThat(bn.forward(input()).toFloatArray()).as(name).containsExactly(floats(torch.get(name + ".eval")), within(1e-5f));
            assertThat(bn.numBatchesTracked().getLong()).isEqualTo(2);
        }
    }

    @Test
    void dropoutOnlyDropsInTraining() {
        Dropout d = new Dropout(0.5);
        Tensor x = affine(input(), 1, 1);
        Tensor train = d.forward(x);
        float[] in = x.toFloatArray();
        float[] out = train.toFloatArray();
        for (int i = 0; i < in.length; i++) {
            assertThat(out[i]).isIn(0f, in[i] * 2);
        }
        d.eval();
        assertThat(d.forward(x).toFloatArray()).containsExactly(in);
    }

    @Test
    void asymmetricSamePaddingMatchesTorch() {
        Conv2d conv = Conv2d.builder(1, 1, 4, 3).padding("same").bias(false).build();
        float[] w = new float[12];
        for (int i = 0; i < 12; i++) {
            w[i] = i / 10f;
        }
        conv.weight().copyFrom(Tensor.fromFloats(w, 1, 1, 4, 3));
        float[] x = new float[25];
        for (int i = 0; i < 25; i++) {
            x[i] = i;
        }
        Tensor y = conv.forward(Tensor.fromFloats(x, 1, 1, 5, 5));
        assertThat(y.shape()).containsExactly(1, 1, 5, 5);
        assertThat(y.toFloatArray()).containsExactly(floats(torch.get("same")), within(1e-4f));
        assertThat(Arrays.stream(torch.get("same").split(","))).hasSize(25);
    }
}
