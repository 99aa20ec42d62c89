package dev.pith.models;

import dev.pith.nn.Module;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;
import java.util.function.IntFunction;

/**
 * The architectures Pith builds, by torchvision's names: {@code cifar-net} (the tutorial's
 * CIFAR-10 {@code Net}), {@code vgg11}, {@code vgg11_bn}, {@code vgg13}, {@code vgg13_bn},
 * {@code vgg16}, {@code vgg16_bn}, {@code vgg19}, {@code vgg19_bn}, {@code resnet18},
 * {@code resnet34}, {@code resnet50}, {@code resnet101}, {@code mobilenet_v2}.
 *
 * <pre>{@code
 * Module model = Models.create("mobilenet_v2", 10);
 * Models.names();                                 // [cifar-net, vgg11, ..., mobilenet_v2]
 * Models.architecture("vgg16").classifierWeightKey();   // classifier.6.weight
 * }</pre>
 */
public final class Models {
    private static final SequencedMap<String, Architecture> ALL = new LinkedHashMap<>();

    static {
        add("cifar-net", "fc3.weight", 10, 32, true, CifarNet::new);
        add("vgg11", "classifier.6.weight", 1000, 32, false, VGG::vgg11);
        add("vgg11_bn", "classifier.6.weight", 1000, 32, false, VGG::vgg11Bn);
        add("vgg13", "classifier.6.weight", 1000, 32, false, VGG::vgg13);
        add("vgg13_bn", "classifier.6.weight", 1000, 32, false, VGG::vgg13Bn);
        add("vgg16", "classifier.6.weight", 1000, 32, false, VGG::vgg16);
        add("vgg16_bn", "classifier.6.weight", 1000, 32, false, VGG::vgg16Bn);
        add("vgg19", "classifier.6.weight", 1000, 32, false, VGG::vgg19);
        add("vgg19_bn", "classifier.6.weight", 1000, 32, false, VGG::vgg19Bn);
        add("resnet18", "fc.weight", 1000, 1, false, ResNet::resnet18);
        add("resnet34", "fc.weight", 1000, 1, false, ResNet::resnet34);
        add("resnet50", "fc.weight", 1000, 1, false, ResNet::resnet50);
        add("resnet101", "fc.weight", 1000, 1, false, ResNet::resnet101);
        add("mobilenet_v2", "classifier.1.weight", 1000, 1, false, MobileNetV2::new);
    }

    private Models() {
    }

    private static void add(String name, String classifierWeightKey, int defaultNumClasses, int minSize,
                            boolean fixedSize, IntFunction<? extends Module> factory) {
        ALL.put(name, new Architecture(name, classifierWeightKey, defaultNumClasses, minSize, fixedSize, factory));
    }

    /** Every registered name, in the order above. */
    public static List<String> names() {
        return List.copyOf(ALL.keySet());
    }

    /**
     * The architecture called {@code name}.
     *
     * @throws UnknownModelException listing the known names
     */
    public static Architecture architecture(String name) {
        Architecture a = ALL.get(name);
        if (a == null) {
            throw new UnknownModelException(name, names());
        }
        return a;
    }

    /** A new {@code name} network with {@code numClasses} outputs, as {@code torchvision.models.<name>(num_classes=...)}. */
    public static Module create(String name, int numClasses) {
        return architecture(name).create(numClasses);
    }
}
