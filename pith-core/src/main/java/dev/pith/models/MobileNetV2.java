package dev.pith.models;

import dev.pith.nn.BatchNorm2d;
import dev.pith.nn.Conv2d;
import dev.pith.nn.Dropout;
import dev.pith.nn.Init;
import dev.pith.nn.Linear;
import dev.pith.nn.Module;
import dev.pith.nn.ReLU6;
import dev.pith.nn.Sequential;
import dev.pith.nn.functional.F;
import dev.pith.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.SequencedMap;

/**
 * MobileNetV2 ("Inverted Residuals and Linear Bottlenecks"), as torchvision 0.14's
 * {@code MobileNetV2}: {@code features} (a strided 3x3 {@link Conv2dNormActivation}, 17
 * {@link InvertedResidual} blocks, a 1x1 {@code Conv2dNormActivation} to 1280 channels), global
 * average pooling, and {@code classifier} = {@code Dropout(0.2)}, {@code Linear(1280, numClasses)}.
 * Initialised as torchvision: convolutions {@code kaiming_normal_(fan_out)}, batch norms 1 and 0,
 * Linear N(0, 0.01) with bias 0. Inputs are [N, 3, H, W] of any size.
 *
 * <pre>{@code
 * MobileNetV2 model = new MobileNetV2(10);
 * model.stateDict().keySet();  // [features.0.0.weight, features.0.1.weight, ..., classifier.1.weight, classifier.1.bias]
 * }</pre>
 */
@SuppressWarnings("this-escape") // registers its layers in the constructor, as PyTorch modules do
public class MobileNetV2 extends Module {
    /** torchvision's block settings: expansion t, channels c, repeats n, first stride s. */
    private static final int[][] DEFAULT_SETTING = {
            {1, 16, 1, 1},
            {6, 24, 2, 2},
            {6, 32, 3, 2},
            {6, 64, 4, 2},
            {6, 96, 3, 1},
            {6, 160, 3, 2},
            {6, 320, 1, 1},
    };

    private final int lastChannel;

    /** torchvision's {@code mobilenet_v2(num_classes=numClasses)}. */
    public MobileNetV2(int numClasses) {
        this(numClasses, 1.0, null, 8, 0.2);
    }

    /**
     * As torchvision's constructor.
     *
     * @param widthMult               multiplies the channels of every layer
     * @param invertedResidualSetting rows {t, c, n, s}; null for torchvision's
     * @param roundNearest            channels are rounded to a multiple of this (1: no rounding)
     * @param dropout                 the classifier's dropout probability
     */
    public MobileNetV2(int numClasses, double widthMult, int[][] invertedResidualSetting, int roundNearest,
                       double dropout) {
        int[][] setting = invertedResidualSetting == null ? DEFAULT_SETTING : invertedResidualSetting;
        if (setting.length == 0 || setting[0].length != 4) {
            throw new IllegalArgumentException(
                    "inverted_residual_setting should be non-empty or a 4-element list, got " + describe(setting));
        }
        int inputChannel = makeDivisible(32 * widthMult, roundNearest);
        int lastChannel = makeDivisible(1280 * Math.max(1.0, widthMult), roundNearest);
        List<Module> features = new ArrayList<>();
        features.add(new Conv2dNormActivation(3, inputChannel, 3, 2, 1, BatchNorm2d::new, () -> new ReLU6(true)));
        for (int[] row : setting) {
            int t = row[0];
            int outputChannel = makeDivisible(row[1] * widthMult, roundNearest);
            int n = row[2];
            for (int i = 0; i < n; i++) {
                int stride = i == 0 ? row[3] : 1;
                features.add(new InvertedResidual(inputChannel, outputChannel, stride, t));
                inputChannel = outputChannel;
            }
        }
        features.add(new Conv2dNormActivation(inputChannel, lastChannel, 1, 1, 1, BatchNorm2d::new,
                () -> new ReLU6(true)));
        this.lastChannel = lastChannel;
        registerModule("features", new Sequential(features.toArray(Module[]::new)));
        registerModule("classifier", new Sequential(new Dropout(dropout), new Linear(lastChannel, numClasses)));
        for (Module m : modules()) {
            if (m instanceof Conv2d conv) {
                Init.kaimingNormal_(conv.weight(), 0, "fan_out", "leaky_relu");
                if (conv.bias() != null) {
                    Init.zeros_(conv.bias());
                }
            } else if (m instanceof BatchNorm2d bn) {
                Init.ones_(bn.weight());
                Init.zeros_(bn.bias());
            } else if (m instanceof Linear fc) {
                Init.normal_(fc.weight(), 0, 0.01);
                Init.zeros_(fc.bias());
            }
        }
    }

    private MobileNetV2(SequencedMap<String, ? extends Module> children, int lastChannel) {
        this.lastChannel = lastChannel;
        children.forEach(this::registerModule);
    }

    /**
     * A MobileNetV2 made of already-built children ({@code features, classifier}) with torchvision's
     * {@code last_channel}.
     * Used by {@code dev.pith.modelfile} to rebuild a model from a whole-model file; the children are
     * registered in the map's order and nothing is initialised.
     */
    public static MobileNetV2 assemble(SequencedMap<String, ? extends Module> children, int lastChannel) {
        return new MobileNetV2(children, lastChannel);
    }

    /** The channels of the last feature layer (torchvision's {@code last_channel}). */
    public int lastChannel() {
        return lastChannel;
    }

    /**
     * {@code v} rounded to the nearest multiple of {@code divisor} (at least {@code divisor}), never
     * more than 10% below {@code v}, as torchvision's {@code _make_divisible}.
     */
    static int makeDivisible(double v, int divisor) {
        int newV = Math.max(divisor, (int) (v + divisor / 2.0) / divisor * divisor);
        if (newV < 0.9 * v) {
            newV += divisor;
        }
        return newV;
    }

    private static String describe(int[][] setting) {
        return java.util.Arrays.deepToString(setting);
    }

    /** The convolutional part (child {@code features}). */
    public Module features() {
        return getChild("features");
    }

    /** The head (child {@code classifier}); replace it with {@code setChild("classifier", ...)} to fine-tune. */
    public Module classifier() {
        return getChild("classifier");
    }

    @Override
    public Tensor forward(Tensor x) {
        x = getChild("features").forward(x);
        x = F.adaptiveAvgPool2d(x, 1, 1);
        x = F.flatten(x, 1, -1);
        return getChild("classifier").forward(x);
    }
}
