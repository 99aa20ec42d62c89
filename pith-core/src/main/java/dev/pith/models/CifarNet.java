package dev.pith.models;

import dev.pith.nn.Conv2d;
import dev.pith.nn.Linear;
import dev.pith.nn.MaxPool2d;
import dev.pith.nn.Module;
import dev.pith.nn.functional.F;
import dev.pith.tensor.Tensor;

/**
 * The CIFAR-10 network of PyTorch's "Deep Learning with PyTorch: A 60 Minute Blitz" tutorial,
 * {@code Net}: two 5x5 convolutions with max pooling and three fully connected layers, for
 * [N, 3, 32, 32] images. State-dict keys: {@code conv1.weight, conv1.bias, conv2.*, fc1.*, fc2.*,
 * fc3.*}; it prints as {@code Net(...)}, as the tutorial's class does. Layers keep PyTorch's default
 * initialisation.
 *
 * <pre>{@code
 * CifarNet net = new CifarNet(10);
 * net.loadStateDict(StateDict.of(Torch.load(Path.of("cifar_net.pth"))));
 * Tensor logits = net.eval().forward(images);      // [N, 3, 32, 32] -> [N, 10]
 * }</pre>
 */
@SuppressWarnings("this-escape") // registers its layers in the constructor, as PyTorch modules do
public class CifarNet extends Module {
    /** The tutorial's network: 10 classes. */
    public CifarNet() {
        this(10);
    }

    /** The tutorial's network with {@code numClasses} outputs. */
    public CifarNet(int numClasses) {
        registerModule("conv1", new Conv2d(3, 6, 5));
        registerModule("pool", new MaxPool2d(2, 2));
        registerModule("conv2", new Conv2d(6, 16, 5));
        registerModule("fc1", new Linear(16 * 5 * 5, 120));
        registerModule("fc2", new Linear(120, 84));
        registerModule("fc3", new Linear(84, numClasses));
    }

    @Override
    public Tensor forward(Tensor x) {
        Module pool = getChild("pool");
        x = pool.forward(F.relu(getChild("conv1").forward(x)));
        x = pool.forward(F.relu(getChild("conv2").forward(x)));
        x = F.flatten(x, 1, -1);
        x = F.relu(getChild("fc1").forward(x));
        x = F.relu(getChild("fc2").forward(x));
        return getChild("fc3").forward(x);
    }

    /** {@code Net}, the tutorial's class name (in the printed tree and in load errors). */
    @Override
    protected String typeName() {
        return "Net";
    }
}
