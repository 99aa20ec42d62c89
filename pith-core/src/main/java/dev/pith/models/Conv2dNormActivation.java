package dev.pith.models;

import dev.pith.nn.BatchNorm2d;
import dev.pith.nn.Conv2d;
import dev.pith.nn.Module;
import dev.pith.nn.ReLU;
import dev.pith.nn.Sequential;

import java.util.SequencedMap;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Convolution, normalisation, activation in one {@link Sequential} (children {@code 0}, {@code 1},
 * {@code 2}), as torchvision 0.14's {@code ops.misc.Conv2dNormActivation}: padding
 * {@code (kernelSize - 1) / 2 * dilation} keeps the size at stride 1, and the convolution has a
 * bias only when there is no norm layer.
 *
 * <pre>{@code
 * new Conv2dNormActivation(3, 32, 3, 2, 1, BatchNorm2d::new, () -> new ReLU6(true));
 * // Conv2dNormActivation(
 * //   (0): Conv2d(3, 32, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), bias=False)
 * //   (1): BatchNorm2d(32, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)
 * //   (2): ReLU6(inplace=True)
 * // )
 * }</pre>
 */
public class Conv2dNormActivation extends Sequential {
    /** Batch norm and {@code ReLU(inplace=True)}, torchvision's defaults. */
    public Conv2dNormActivation(int inChannels, int outChannels, int kernelSize, int stride) {
        this(inChannels, outChannels, kernelSize, stride, 1, BatchNorm2d::new, () -> new ReLU(true));
    }

    /**
     * @param normLayer       makes the norm layer for {@code outChannels}, or null for none
     * @param activationLayer makes the activation, or null for none (pass {@code inplace=true} as torchvision does)
     */
    public Conv2dNormActivation(int inChannels, int outChannels, int kernelSize, int stride, int groups,
                                IntFunction<? extends Module> normLayer, Supplier<? extends Module> activationLayer) {
        this(inChannels, outChannels, kernelSize, stride, 1, groups, normLayer, activationLayer);
    }

    /** As above, with a dilation (the padding grows with it). */
    public Conv2dNormActivation(int inChannels, int outChannels, int kernelSize, int stride, int dilation, int groups,
                                IntFunction<? extends Module> normLayer, Supplier<? extends Module> activationLayer) {
        super(layers(inChannels, outChannels, kernelSize, stride, dilation, groups, normLayer, activationLayer));
    }

    private Conv2dNormActivation(SequencedMap<String, ? extends Module> children) {
        super(children);
    }

    /**
     * A block made of already-built children {@code 0} (the convolution), then optionally the norm
     * and the activation.
     * Used by {@code dev.pith.modelfile} to rebuild a model from a whole-model file; the children are
     * registered in the map's order and nothing is initialised.
     */
    public static Conv2dNormActivation assemble(SequencedMap<String, ? extends Module> children) {
        return new Conv2dNormActivation(children);
    }

    /** The convolution's output channels (torchvision's {@code out_channels}). */
    public int outChannels() {
        return child("0", Conv2d.class).outChannels();
    }

    private static Module[] layers(int inChannels, int outChannels, int kernelSize, int stride, int dilation,
                                   int groups, IntFunction<? extends Module> normLayer,
                                   Supplier<? extends Module> activationLayer) {
        int padding = (kernelSize - 1) / 2 * dilation;
        Module conv = Conv2d.builder(inChannels, outChannels, kernelSize).stride(stride).padding(padding)
                .dilation(dilation).groups(groups).bias(normLayer == null).build();
        if (normLayer == null && activationLayer == null) {
            return new Module[]{conv};
        }
        if (normLayer == null) {
            return new Module[]{conv, activationLayer.get()};
        }
        if (activationLayer == null) {
            return new Module[]{conv, normLayer.apply(outChannels)};
        }
        return new Module[]{conv, normLayer.apply(outChannels), activationLayer.get()};
    }
}
