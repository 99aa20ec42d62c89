package dev.pith.models;

import dev.pith.nn.AdaptiveAvgPool2d;
import dev.pith.nn.BatchNorm2d;
import dev.pith.nn.Conv2d;
import dev.pith.nn.Init;
import dev.pith.nn.Linear;
import dev.pith.nn.MaxPool2d;
import dev.pith.nn.Module;
import dev.pith.nn.ReLU;
import dev.pith.nn.Sequential;
import dev.pith.nn.functional.F;
import dev.pith.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.SequencedMap;

/**
 * ResNet ("Deep Residual Learning for Image Recognition"), as torchvision 0.14's {@code ResNet}:
 * a 7x7 stem ({@code conv1, bn1, relu, maxpool}), four stages {@code layer1..layer4} of
 * {@link BasicBlock}s or {@link Bottleneck}s, global average pooling and the Linear {@code fc}.
 * Initialised as torchvision: convolutions {@code kaiming_normal_(fan_out, relu)}, batch norms
 * weight 1 and bias 0, {@code fc} with PyTorch's Linear default. Inputs are [N, 3, H, W].
 *
 * <pre>{@code
 * ResNet model = ResNet.resnet18(1000);
 * model.stateDict().keySet();  // [conv1.weight, bn1.weight, ..., layer1.0.conv1.weight, ..., fc.weight, fc.bias]
 * model.setChild("fc", new Linear(512, 10));      // a new head for fine-tuning
 * }</pre>
 */
@SuppressWarnings("this-escape") // registers its layers in the constructor, as PyTorch modules do
public class ResNet extends Module {
    /** Which residual block a ResNet stacks, with its channel expansion. */
    public enum Block {
        /** {@link BasicBlock}: two 3x3 convolutions, expansion 1 (ResNet 18, 34). */
        BASIC(BasicBlock.EXPANSION),
        /** {@link Bottleneck}: 1x1, 3x3, 1x1, expansion 4 (ResNet 50, 101, 152). */
        BOTTLENECK(Bottleneck.EXPANSION);

        private final int expansion;

        Block(int expansion) {
            this.expansion = expansion;
        }

        /** Output channels per {@code planes}. */
        public int expansion() {
            return expansion;
        }

        Module create(int inplanes, int planes, int stride, Module downsample, int groups, int baseWidth,
                      int dilation) {
            return switch (this) {
                case BASIC -> new BasicBlock(inplanes, planes, stride, downsample, groups, baseWidth, dilation);
                case BOTTLENECK -> new Bottleneck(inplanes, planes, stride, downsample, groups, baseWidth, dilation);
            };
        }
    }

    private final int groups;
    private final int baseWidth;
    private int inplanes = 64;
    private int dilation = 1;

    /** A ResNet of {@code layers[i]} blocks in stage {@code i + 1}, as {@code ResNet(block, layers, num_classes)}. */
    public ResNet(Block block, int[] layers, int numClasses) {
        this(block, layers, numClasses, false, 1, 64, null);
    }

    /**
     * As torchvision's full constructor.
     *
     * @param zeroInitResidual          start the last batch norm of each block at weight 0 (each block begins as identity)
     * @param groups                    groups of the 3x3 convolutions in Bottlenecks (ResNeXt)
     * @param widthPerGroup             base width of Bottlenecks (64; 128 for Wide ResNet)
     * @param replaceStrideWithDilation for stages 2..4, dilate instead of striding; null for none
     */
    public ResNet(Block block, int[] layers, int numClasses, boolean zeroInitResidual, int groups, int widthPerGroup,
                  boolean[] replaceStrideWithDilation) {
        if (layers.length != 4) {
            throw new IllegalArgumentException("layers should have 4 elements, got " + layers.length);
        }
        boolean[] dilate = replaceStrideWithDilation == null ? new boolean[3] : replaceStrideWithDilation;
        if (dilate.length != 3) {
            throw new IllegalArgumentException(
                    "replace_stride_with_dilation should be None or a 3-element tuple, got " + dilate.length + " elements");
        }
        this.groups = groups;
        this.baseWidth = widthPerGroup;
        registerModule("conv1", Conv2d.builder(3, inplanes, 7).stride(2).padding(3).bias(false).build());
        registerModule("bn1", new BatchNorm2d(inplanes));
        registerModule("relu", new ReLU(true));
        registerModule("maxpool", MaxPool2d.builder(3).stride(2).padding(1).build());
        registerModule("layer1", makeLayer(block, 64, layers[0], 1, false));
        registerModule("layer2", makeLayer(block, 128, layers[1], 2, dilate[0]));
        registerModule("layer3", makeLayer(block, 256, layers[2], 2, dilate[1]));
        registerModule("layer4", makeLayer(block, 512, layers[3], 2, dilate[2]));
        registerModule("avgpool", new AdaptiveAvgPool2d(1, 1));
        registerModule("fc", new Linear(512 * block.expansion(), numClasses));
        for (Module m : modules()) {
            if (m instanceof Conv2d conv) {
                Init.kaimingNormal_(conv.weight(), 0, "fan_out", "relu");
            } else if (m instanceof BatchNorm2d bn) {
                Init.constant_(bn.weight(), 1);
                Init.constant_(bn.bias(), 0);
            }
        }
        if (zeroInitResidual) {
            for (Module m : modules()) {
                if (m instanceof Bottleneck b) {
                    Init.constant_(b.child("bn3", BatchNorm2d.class).weight(), 0);
                } else if (m instanceof BasicBlock b) {
                    Init.constant_(b.child("bn2", BatchNorm2d.class).weight(), 0);
                }
            }
        }
    }

    private ResNet(SequencedMap<String, ? extends Module> children, int inplanes, int dilation, int groups,
                   int baseWidth) {
        this.groups = groups;
        this.baseWidth = baseWidth;
        this.inplanes = inplanes;
        this.dilation = dilation;
        children.forEach(this::registerModule);
    }

    /**
     * A ResNet made of already-built children ({@code conv1, bn1, relu, maxpool, layer1..layer4,
     * avgpool, fc}, as torchvision names them) with the attributes torchvision keeps.
     * Used by {@code dev.pith.modelfile} to rebuild a model from a whole-model file; the children are
     * registered in the map's order and nothing is initialised.
     */
    public static ResNet assemble(SequencedMap<String, ? extends Module> children, int inplanes, int dilation,
                                  int groups, int baseWidth) {
        return new ResNet(children, inplanes, dilation, groups, baseWidth);
    }

    /** torchvision's {@code inplanes} after construction: the channels the last stage outputs. */
    public int inplanes() {
        return inplanes;
    }

    /** torchvision's {@code dilation} after construction. */
    public int dilation() {
        return dilation;
    }

    /** Groups of the Bottlenecks' 3x3 convolutions. */
    public int groups() {
        return groups;
    }

    /** torchvision's {@code base_width} ({@code width_per_group}). */
    public int baseWidth() {
        return baseWidth;
    }

    /** As torchvision's {@code _make_layer}: one stage of {@code blocks} blocks, the first one strided. */
    private Sequential makeLayer(Block block, int planes, int blocks, int stride, boolean dilate) {
        Module downsample = null;
        int previousDilation = dilation;
        if (dilate) {
            dilation *= stride;
            stride = 1;
        }
        if (stride != 1 || inplanes != planes * block.expansion()) {
            downsample = new Sequential(
                    conv1x1(inplanes, planes * block.expansion(), stride),
                    new BatchNorm2d(planes * block.expansion()));
        }
        List<Module> stage = new ArrayList<>();
        stage.add(block.create(inplanes, planes, stride, downsample, groups, baseWidth, previousDilation));
        inplanes = planes * block.expansion();
        for (int i = 1; i < blocks; i++) {
            stage.add(block.create(inplanes, planes, 1, null, groups, baseWidth, dilation));
        }
        return new Sequential(stage.toArray(Module[]::new));
    }

    /** A 3x3 convolution without bias, padded by {@code dilation}, as torchvision's {@code conv3x3}. */
    static Conv2d conv3x3(int inPlanes, int outPlanes, int stride, int groups, int dilation) {
        return Conv2d.builder(inPlanes, outPlanes, 3).stride(stride).padding(dilation).groups(groups)
                .bias(false).dilation(dilation).build();
    }

    /** A 1x1 convolution without bias, as torchvision's {@code conv1x1}. */
    static Conv2d conv1x1(int inPlanes, int outPlanes, int stride) {
        return Conv2d.builder(inPlanes, outPlanes, 1).stride(stride).bias(false).build();
    }

    /** ResNet 18: BasicBlocks [2, 2, 2, 2], as {@code torchvision.models.resnet18(num_classes=numClasses)}. */
    public static ResNet resnet18(int numClasses) {
        return new ResNet(Block.BASIC, new int[]{2, 2, 2, 2}, numClasses);
    }

    /** ResNet 34: BasicBlocks [3, 4, 6, 3]. */
    public static ResNet resnet34(int numClasses) {
        return new ResNet(Block.BASIC, new int[]{3, 4, 6, 3}, numClasses);
    }

    /** ResNet 50: Bottlenecks [3, 4, 6, 3]. */
    public static ResNet resnet50(int numClasses) {
        return new ResNet(Block.BOTTLENECK, new int[]{3, 4, 6, 3}, numClasses);
    }

    /** ResNet 101: Bottlenecks [3, 4, 23, 3]. */
    public static ResNet resnet101(int numClasses) {
        return new ResNet(Block.BOTTLENECK, new int[]{3, 4, 23, 3}, numClasses);
    }

    /** The head (child {@code fc}); replace it with {@code setChild("fc", ...)} to fine-tune. */
    public Module fc() {
        return getChild("fc");
    }

    @Override
    public Tensor forward(Tensor x) {
        x = getChild("conv1").forward(x);
        x = getChild("bn1").forward(x);
        x = getChild("relu").forward(x);
        x = getChild("maxpool").forward(x);
        x = getChild("layer1").forward(x);
        x = getChild("layer2").forward(x);
        x = getChild("layer3").forward(x);
        x = getChild("layer4").forward(x);
        x = getChild("avgpool").forward(x);
        x = F.flatten(x, 1, -1);
        return getChild("fc").forward(x);
    }
}
