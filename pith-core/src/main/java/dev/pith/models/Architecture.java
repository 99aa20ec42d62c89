package dev.pith.models;

import dev.pith.ShapeException;
import dev.pith.nn.Module;
import dev.pith.tensor.DType;
import dev.pith.tensor.Tensor;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.function.IntFunction;

/**
 * One named architecture of {@link Models}: how to build it for a number of classes, which
 * state-dict key holds its last Linear layer (so the number of classes can be read from weights),
 * and what input it takes.
 *
 * <pre>{@code
 * Architecture arch = Models.architecture("resnet18");
 * int classes = arch.numClassesIn(weights).orElse(arch.defaultNumClasses());   // rows of fc.weight
 * Module model = arch.create(classes);
 * arch.checkInput(images);        // ShapeException unless float32 [N, 3, H, W]
 * }</pre>
 */
public final class Architecture {
    private final String name;
    private final String classifierWeightKey;
    private final int defaultNumClasses;
    private final int minSize;
    private final boolean fixedSize;
    private final IntFunction<? extends Module> factory;

    /**
     * @param classifierWeightKey the state-dict key of the last Linear layer's weight [numClasses, features]
     * @param minSize             the smallest height and width the network takes
     * @param fixedSize           whether the input must be exactly {@code minSize x minSize}
     * @param factory             builds the network for a number of classes
     */
    public Architecture(String name, String classifierWeightKey, int defaultNumClasses, int minSize, boolean fixedSize,
                        IntFunction<? extends Module> factory) {
        this.name = Objects.requireNonNull(name, "name");
        this.classifierWeightKey = Objects.requireNonNull(classifierWeightKey, "classifierWeightKey");
        this.defaultNumClasses = defaultNumClasses;
        this.minSize = minSize;
        this.fixedSize = fixedSize;
        this.factory = Objects.requireNonNull(factory, "factory");
    }

    /** The registry name, torchvision's function name ({@code "resnet18"}, {@code "vgg16_bn"}). */
    public String name() {
        return name;
    }

    /** The key of the classifier's weight: {@code fc.weight}, {@code classifier.6.weight}, ... */
    public String classifierWeightKey() {
        return classifierWeightKey;
    }

    /** The number of classes of the published weights (1000 for ImageNet models, 10 for CIFAR-10). */
    public int defaultNumClasses() {
        return defaultNumClasses;
    }

    /** A new network with {@code numClasses} outputs, initialised as torchvision initialises it. */
    public Module create(int numClasses) {
        if (numClasses < 1) {
            throw new IllegalArgumentException(name + ": the number of classes must be positive, got " + numClasses);
        }
        return factory.apply(numClasses);
    }

    /**
     * The number of classes of the weights in {@code stateDict}: the rows of its
     * {@link #classifierWeightKey()}; empty when that key is absent or not a matrix.
     */
    public OptionalInt numClassesIn(Map<String, ? extends Tensor> stateDict) {
        Tensor head = stateDict.get(classifierWeightKey);
        if (head == null || head.dim() != 2 || head.size(0) < 1 || head.size(0) > Integer.MAX_VALUE) {
            return OptionalInt.empty();
        }
        return OptionalInt.of((int) head.size(0));
    }

    /**
     * The height and width of a typical input: the fixed size where the network has one (32 for the
     * CIFAR-10 {@code Net}), else 224, torchvision's ImageNet size.
     */
    public int defaultInputSize() {
        return fixedSize ? minSize : Math.max(minSize, 224);
    }

    /** The input this network takes, e.g. {@code float32 [N, 3, H, W] with H, W >= 32}. */
    public String expectedInput() {
        if (fixedSize) {
            return "float32 [N, 3, " + minSize + ", " + minSize + "]";
        }
        return "float32 [N, 3, H, W]" + (minSize > 1 ? " with H, W >= " + minSize : "");
    }

    /**
     * Checks that {@code input} is a batch this network takes.
     *
     * @throws ShapeException naming the expected and the actual dtype and shape
     */
    public void checkInput(Tensor input) {
        long[] s = input.shape();
        boolean fits = input.dtype() == DType.FLOAT32 && s.length == 4 && s[1] == 3
                && (fixedSize ? s[2] == minSize && s[3] == minSize : s[2] >= minSize && s[3] >= minSize);
        if (!fits) {
            throw new ShapeException(name + " takes " + expectedInput() + ", got " + input.dtype().torchName() + " "
                    + Arrays.toString(s));
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
