package dev.pith.models;

import dev.pith.nn.BatchNorm2d;
import dev.pith.nn.Module;
import dev.pith.nn.ReLU;
import dev.pith.nn.functional.F;
import dev.pith.tensor.Tensor;

import java.util.SequencedMap;

/**
 * The residual block of ResNet 50, 101 and 152, as torchvision's {@code Bottleneck} (ResNet v1.5:
 * the stride sits on the 3x3 convolution): 1x1 down to {@code width} channels, 3x3 (strided,
 * grouped, dilated), 1x1 up to {@code planes * 4}, each followed by batch norm, ReLU between them
 * and after adding the shortcut ({@code x}, or {@code downsample(x)}).
 */
@SuppressWarnings("this-escape") // registers its layers in the constructor, as PyTorch modules do
public class Bottleneck extends Module {
    /** Output channels per {@code planes}. */
    public static final int EXPANSION = 4;

    /** A block from {@code inplanes} to {@code planes * 4} channels; {@code downsample} may be null. */
    public Bottleneck(int inplanes, int planes, int stride, Module downsample) {
        this(inplanes, planes, stride, downsample, 1, 64, 1);
    }

    /**
     * As torchvision's constructor: the inner width is {@code (int) (planes * baseWidth / 64.0) * groups}
     * (ResNeXt and Wide ResNet change {@code groups} and {@code baseWidth}).
     */
    public Bottleneck(int inplanes, int planes, int stride, Module downsample, int groups, int baseWidth,
                      int dilation) {
        int width = (int) (planes * (baseWidth / 64.0)) * groups;
        registerModule("conv1", ResNet.conv1x1(inplanes, width, 1));
        registerModule("bn1", new BatchNorm2d(width));
        registerModule("conv2", ResNet.conv3x3(width, width, stride, groups, dilation));
        registerModule("bn2", new BatchNorm2d(width));
        registerModule("conv3", ResNet.conv1x1(width, planes * EXPANSION, 1));
        registerModule("bn3", new BatchNorm2d(planes * EXPANSION));
        registerModule("relu", new ReLU(true));
        if (downsample != null) {
            registerModule("downsample", downsample);
        }
    }

    private Bottleneck(SequencedMap<String, ? extends Module> children) {
        children.forEach(this::registerModule);
    }

    /**
     * A block made of already-built children (as torchvision names them; {@code downsample} only
     * when the block has one).
     * Used by {@code dev.pith.modelfile} to rebuild a model from a whole-model file; the children are
     * registered in the map's order and nothing is initialised.
     */
    public static Bottleneck assemble(SequencedMap<String, ? extends Module> children) {
        return new Bottleneck(children);
    }

    @Override
    public Tensor forward(Tensor x) {
        Module relu = getChild("relu");
        Tensor out = relu.forward(getChild("bn1").forward(getChild("conv1").forward(x)));
        out = relu.forward(getChild("bn2").forward(getChild("conv2").forward(out)));
        out = getChild("bn3").forward(getChild("conv3").forward(out));
        Module downsample = hasChild("downsample") ? getChild("downsample") : null;
        Tensor identity = downsample != null ? downsample.forward(x) : x;
        return relu.forward(F.add(out, identity));
    }
}
