package dev.pith.models;

import dev.pith.nn.AdaptiveAvgPool2d;
import dev.pith.nn.BatchNorm2d;
import dev.pith.nn.Conv2d;
import dev.pith.nn.Dropout;
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
 * VGG ("Very Deep Convolutional Networks for Large-Scale Image Recognition"), as torchvision 0.14's
 * {@code VGG}: {@code features} (3x3 convolutions, optionally batch-normalised, and 2x2 max pools,
 * built from a {@link Cfg} by {@link #makeLayers}), {@code avgpool} (adaptive, to 7x7) and
 * {@code classifier} (three Linear layers with ReLU and Dropout). Inputs are [N, 3, H, W] with
 * H, W at least 32.
 *
 * <pre>{@code
 * VGG vgg = VGG.vgg16Bn(10);
 * vgg.stateDict().keySet();   // [features.0.weight, features.0.bias, features.1.weight, ..., classifier.6.bias]
 * }</pre>
 */
@SuppressWarnings("this-escape") // registers its layers in the constructor, as PyTorch modules do
public class VGG extends Module {
    /** In a {@link Cfg}'s layer list: a 2x2 max pool (torchvision's {@code "M"}). */
    public static final int M = 0;

    /** torchvision's layer configurations: output channels of each 3x3 convolution, {@link #M} for a pool. */
    public enum Cfg {
        /** VGG 11. */
        A(64, M, 128, M, 256, 256, M, 512, 512, M, 512, 512, M),
        /** VGG 13. */
        B(64, 64, M, 128, 128, M, 256, 256, M, 512, 512, M, 512, 512, M),
        /** VGG 16. */
        D(64, 64, M, 128, 128, M, 256, 256, 256, M, 512, 512, 512, M, 512, 512, 512, M),
        /** VGG 19. */
        E(64, 64, M, 128, 128, M, 256, 256, 256, 256, M, 512, 512, 512, 512, M, 512, 512, 512, 512, M);

        private final int[] layers;

        Cfg(int... layers) {
            this.layers = layers;
        }

        /** The layer list: channels of each convolution, {@link #M} for a max pool. */
        public int[] layers() {
            return layers.clone();
        }
    }

    /**
     * A VGG over {@code features} (which must end with 512 channels), as
     * {@code VGG(features, num_classes, init_weights, dropout)}. With {@code initWeights} the
     * weights are drawn as torchvision does: convolutions {@code kaiming_normal_(fan_out, relu)},
     * Linear N(0, 0.01), biases 0, batch norms weight 1 and bias 0.
     */
    public VGG(Sequential features, int numClasses, boolean initWeights, double dropout) {
        registerModule("features", features);
        registerModule("avgpool", new AdaptiveAvgPool2d(7, 7));
        registerModule("classifier", new Sequential(
                new Linear(512 * 7 * 7, 4096),
                new ReLU(true),
                new Dropout(dropout),
                new Linear(4096, 4096),
                new ReLU(true),
                new Dropout(dropout),
                new Linear(4096, numClasses)));
        if (initWeights) {
            for (Module m : modules()) {
                if (m instanceof Conv2d conv) {
                    Init.kaimingNormal_(conv.weight(), 0, "fan_out", "relu");
                    if (conv.bias() != null) {
                        Init.constant_(conv.bias(), 0);
                    }
                } else if (m instanceof BatchNorm2d bn) {
                    Init.constant_(bn.weight(), 1);
                    Init.constant_(bn.bias(), 0);
                } else if (m instanceof Linear fc) {
                    Init.normal_(fc.weight(), 0, 0.01);
                    Init.constant_(fc.bias(), 0);
                }
            }
        }
    }

    private VGG(SequencedMap<String, ? extends Module> children) {
        children.forEach(this::registerModule);
    }

    /**
     * A VGG made of already-built children ({@code features, avgpool, classifier}).
     * Used by {@code dev.pith.modelfile} to rebuild a model from a whole-model file; the children are
     * registered in the map's order and nothing is initialised.
     */
    public static VGG assemble(SequencedMap<String, ? extends Module> children) {
        return new VGG(children);
    }

    /**
     * The feature extractor of {@code cfg}, as torchvision's {@code make_layers}: for each number a
     * {@code Conv2d(in, v, 3, padding=1)}, then (with {@code batchNorm}) a {@code BatchNorm2d(v)},
     * then {@code ReLU(inplace=True)}; for each {@link #M} a {@code MaxPool2d(2, 2)}.
     */
    public static Sequential makeLayers(int[] cfg, boolean batchNorm) {
        List<Module> layers = new ArrayList<>();
        int inChannels = 3;
        for (int v : cfg) {
            if (v == M) {
                layers.add(new MaxPool2d(2, 2));
            } else {
                layers.add(new Conv2d(inChannels, v, 3, 1, 1));
                if (batchNorm) {
                    layers.add(new BatchNorm2d(v));
                }
                layers.add(new ReLU(true));
                inChannels = v;
            }
        }
        return new Sequential(layers.toArray(Module[]::new));
    }

    private static VGG vgg(Cfg cfg, boolean batchNorm, int numClasses) {
        return new VGG(makeLayers(cfg.layers, batchNorm), numClasses, true, 0.5);
    }

    /** VGG 11 (configuration A), as {@code torchvision.models.vgg11(num_classes=numClasses)}. */
    public static VGG vgg11(int numClasses) {
        return vgg(Cfg.A, false, numClasses);
    }

    /** VGG 11 with batch normalisation, as {@code vgg11_bn}. */
    public static VGG vgg11Bn(int numClasses) {
        return vgg(Cfg.A, true, numClasses);
    }

    /** VGG 13 (configuration B), as {@code vgg13}. */
    public static VGG vgg13(int numClasses) {
        return vgg(Cfg.B, false, numClasses);
    }

    /** VGG 13 with batch normalisation, as {@code vgg13_bn}. */
    public static VGG vgg13Bn(int numClasses) {
        return vgg(Cfg.B, true, numClasses);
    }

    /** VGG 16 (configuration D), as {@code vgg16}. */
    public static VGG vgg16(int numClasses) {
        return vgg(Cfg.D, false, numClasses);
    }

    /** VGG 16 with batch normalisation, as {@code vgg16_bn}. */
    public static VGG vgg16Bn(int numClasses) {
        return vgg(Cfg.D, true, numClasses);
    }

    /** VGG 19 (configuration E), as {@code vgg19}. */
    public static VGG vgg19(int numClasses) {
        return vgg(Cfg.E, false, numClasses);
    }

    /** VGG 19 with batch normalisation, as {@code vgg19_bn}. */
    public static VGG vgg19Bn(int numClasses) {
        return vgg(Cfg.E, true, numClasses);
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
        x = getChild("avgpool").forward(x);
        x = F.flatten(x, 1, -1);
        return getChild("classifier").forward(x);
    }
}
