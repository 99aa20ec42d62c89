package dev.pith.models;

import dev.pith.nn.BatchNorm2d;
import dev.pith.nn.Module;
import dev.pith.nn.ReLU;
import dev.pith.nn.functional.F;
import dev.pith.tensor.Tensor;

import java.util.SequencedMap;

/**
 * The residual block of ResNet 18 and 34, as torchvision's {@code BasicBlock}: two 3x3
 * convolutions ({@code conv1} strided), each followed by batch norm, ReLU after the first and after
 * adding the shortcut. The shortcut is the input itself, or {@code downsample(x)} when the block
 * changes the resolution or width. Expansion 1: the block outputs {@code planes} channels.
 */
@SuppressWarnings("this-escape") // registers its layers in the constructor, as PyTorch modules do
public class BasicBlock extends Module {
    /** Output channels per {@code planes}. */
    public static final int EXPANSION = 1;

    /**
     * A block from {@code inplanes} to {@code planes} channels; {@code downsample} (or null) maps the
     * input to the output's shape for the shortcut.
     */
    public BasicBlock(int inplanes, int planes, int stride, Module downsample) {
        this(inplanes, planes, stride, downsample, 1, 64, 1);
    }

    /**
     * As torchvision's constructor; only {@code groups = 1}, {@code baseWidth = 64} and
     * {@code dilation = 1} are supported, as there.
     *
     * @throws IllegalArgumentException for other groups or base width
     * @throws UnsupportedOperationException for a dilation above 1
     */
    public BasicBlock(int inplanes, int planes, int stride, Module downsample, int groups, int baseWidth,
                      int dilation) {
        if (groups != 1 || baseWidth != 64) {
            throw new IllegalArgumentException("BasicBlock only supports groups=1 and base_width=64");
        }
        if (dilation > 1) {
            throw new UnsupportedOperationException("Dilation > 1 not supported in BasicBlock");
        }
        registerModule("conv1", ResNet.conv3x3(inplanes, planes, stride, 1, 1));
        registerModule("bn1", new BatchNorm2d(planes));
        registerModule("relu", new ReLU(true));
        registerModule("conv2", ResNet.conv3x3(planes, planes, 1, 1, 1));
        registerModule("bn2", new BatchNorm2d(planes));
        if (downsample != null) {
            registerModule("downsample", downsample);
        }
    }

    private BasicBlock(SequencedMap<String, ? extends Module> children) {
        children.forEach(this::registerModule);
    }

    /**
     * A block made of already-built children (as torchvision names them; {@code downsample} only
     * when the block has one).
     * Used by {@code dev.pith.modelfile} to rebuild a model from a whole-model file; the children are
     * registered in the map's order and nothing is initialised.
     */
    public static BasicBlock assemble(SequencedMap<String, ? extends Module> children) {
        return new BasicBlock(children);
    }

    @Override
    public Tensor forward(Tensor x) {
        Module relu = getChild("relu");
        Tensor out = relu.forward(getChild("bn1").forward(getChild("conv1").forward(x)));
        out = getChild("bn2").forward(getChild("conv2").forward(out));
        Module downsample = hasChild("downsample") ? getChild("downsample") : null;
        Tensor identity = downsample != null ? downsample.forward(x) : x;
        return relu.forward(F.add(out, identity));
    }
}
