package dev.pith.models;

import dev.pith.nn.BatchNorm2d;
import dev.pith.nn.Conv2d;
import dev.pith.nn.Module;
import dev.pith.nn.ReLU6;
import dev.pith.nn.Sequential;
import dev.pith.nn.functional.F;
import dev.pith.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.SequencedMap;

/**
 * MobileNetV2's block, as torchvision's {@code InvertedResidual}: child {@code conv}, a Sequential
 * of a 1x1 expansion to {@code inp * expandRatio} channels (left out when the ratio is 1), a 3x3
 * depthwise convolution (both {@link Conv2dNormActivation} with ReLU6), and a linear 1x1
 * projection with batch norm. The input is added to the output when the stride is 1 and the width
 * is unchanged.
 */
@SuppressWarnings("this-escape") // registers its layers in the constructor, as PyTorch modules do
public class InvertedResidual extends Module {
    private final boolean useResConnect;
    private final int stride;
    private final int outChannels;

    /**
     * @throws IllegalArgumentException when {@code stride} is not 1 or 2
     */
    public InvertedResidual(int inp, int oup, int stride, int expandRatio) {
        if (stride != 1 && stride != 2) {
            throw new IllegalArgumentException("stride should be 1 or 2 instead of " + stride);
        }
        int hiddenDim = inp * expandRatio;
        this.useResConnect = stride == 1 && inp == oup;
        this.stride = stride;
        this.outChannels = oup;
        List<Module> layers = new ArrayList<>();
        if (expandRatio != 1) {
            layers.add(new Conv2dNormActivation(inp, hiddenDim, 1, 1, 1, BatchNorm2d::new, () -> new ReLU6(true)));
        }
        layers.add(new Conv2dNormActivation(hiddenDim, hiddenDim, 3, stride, hiddenDim, BatchNorm2d::new,
                () -> new ReLU6(true)));
        layers.add(Conv2d.builder(hiddenDim, oup, 1).stride(1).padding(0).bias(false).build());
        layers.add(new BatchNorm2d(oup));
        registerModule("conv", new Sequential(layers.toArray(Module[]::new)));
    }

    private InvertedResidual(SequencedMap<String, ? extends Module> children, int stride, int outChannels,
                             boolean useResConnect) {
        this.stride = stride;
        this.outChannels = outChannels;
        this.useResConnect = useResConnect;
        children.forEach(this::registerModule);
    }

    /**
     * A block made of an already-built child {@code conv}, with torchvision's attributes.
     * Used by {@code dev.pith.modelfile} to rebuild a model from a whole-model file; the children are
     * registered in the map's order and nothing is initialised.
     */
    public static InvertedResidual assemble(SequencedMap<String, ? extends Module> children, int stride,
                                            int outChannels, boolean useResConnect) {
        return new InvertedResidual(children, stride, outChannels, useResConnect);
    }

    /** The stride of the depthwise convolution (1 or 2). */
    public int stride() {
        return stride;
    }

    /** The block's output channels. */
    public int outChannels() {
        return outChannels;
    }

    /** Whether the input is added to the output (stride 1, same width in and out). */
    public boolean useResConnect() {
        return useResConnect;
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor out = getChild("conv").forward(x);
        return useResConnect ? F.add(x, out) : out;
    }
}
