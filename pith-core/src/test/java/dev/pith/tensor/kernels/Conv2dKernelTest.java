package dev.pith.tensor.kernels;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Convolution (im2col GEMM and depthwise paths, both micro-kernels) against a direct seven-loop reference. */
class Conv2dKernelTest {
    @Property(tries = 120)
    void matchesDirectConvolution(@ForAll @IntRange(min = 1, max = 3) int n, @ForAll @IntRange(min = 1, max = 4) int cg,
                                  @ForAll @IntRange(min = 1, max = 3) int groups, @ForAll @IntRange(min = 1, max = 5) int ogMul,
                                  @ForAll @IntRange(min = 1, max = 13) int h, @ForAll @IntRange(min = 1, max = 13) int w,
                                  @ForAll @IntRange(min = 1, max = 4) int kh, @ForAll @IntRange(min = 1, max = 4) int kw,
                                  @ForAll @IntRange(min = 1, max = 3) int s, @ForAll @IntRange(min = 0, max = 2) int p,
                                  @ForAll @IntRange(min = 1, max = 2) int d, @ForAll boolean depthwise,
                                  @ForAll boolean relu, @ForAll boolean scalar, @ForAll long seed) {
        int c = depthwise ? cg * groups : cg * groups;
        int g = depthwise ? c : groups;
        int o = g * ogMul;
        if (h + 2 * p - d * (kh - 1) - 1 < 0 || w + 2 * p - d * (kw - 1) - 1 < 0) {
            return;
        }
        var geo = new ConvGeometry(n, c, h, w, o, kh, kw, s, s, p, p, d, d, g);
        Random r = new Random(seed);
        float[] x = gaussian(r, n * c * h * w);
        float[] wt = gaussian(r, o * (c / g) * kh * kw);
        float[] bias = r.nextBoolean() ? gaussian(r, o) : null;
        float[] out = new float[n * o * geo.oh() * geo.ow()];
        Conv2dKernel.forward(scalar ? MicroKernels.SCALAR : MicroKernels.DEFAULT, geo, x, wt, bias, relu, out);
        float[] ref = direct(geo, x, wt, bias, relu);
        for (int i = 0; i < out.length; i++) {
            assertThat(out[i]).as("element %d of %s", i, geo).isCloseTo(ref[i], org.assertj.core.data.Offset.offset(1e-4f));
        }
    }

    static float[] gaussian(Random r, int size) {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }

    static float[] direct(ConvGeometry g, float[] x, float[] w, float[] bias, boolean relu) {
        int oh = g.oh();
        int ow = g.ow();
        float[] out = new float[g.n() * g.o() * oh * ow];
        for (int img = 0; img < g.n(); img++) {
            for (int oc = 0; oc < g.o(); oc++) {
                int grp = oc / g.og();
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        double sum = bias == null ? 0 : bias[oc];
                        for (int ci = 0; ci < g.cg(); ci++) {
                            int ic = grp * g.cg() + ci;
                            for (int ki = 0; ki < g.kh(); ki++) {
                                int iy = oy * g.sh() - g.ph() + ki * g.dh();
                                for (int kj = 0; kj < g.kw(); kj++) {
                                    int ix = ox * g.sw() - g.pw() + kj * g.dw();
                                    if (iy >= 0 && iy < g.h() && ix >= 0 && ix < g.w()) {
                                        sum += x[((img * g.c() + ic) * g.h() + iy) * g.w() + ix]
                                                * w[((oc * g.cg() + ci) * g.kh() + ki) * g.kw() + kj];
                                    }
                                }
                            }
                        }
                        out[((img * g.o() + oc) * oh + oy) * ow + ox] = relu ? (float) Math.max(sum, 0) : (float) sum;
                    }
                }
            }
        }
        return out;
    }
}
