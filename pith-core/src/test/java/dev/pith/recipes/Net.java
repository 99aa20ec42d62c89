package dev.pith.recipes;

import dev.pith.nn.Conv2d;
import dev.pith.nn.Linear;
import dev.pith.nn.MaxPool2d;
import dev.pith.nn.Module;
import dev.pith.nn.functional.F;
import dev.pith.tensor.Tensor;

/**
 * The CIFAR-10 network of PyTorch's 60-minute blitz tutorial, the model of the recipes; its
 * state_dict keys are those of the Python class {@code Net} in {@code interop/make_corpus.py}.
 */
public class Net extends Module {
    final Conv2d conv1 = registerModule("conv1", new Conv2d(3, 6, 5));
    final MaxPool2d pool = registerModule("pool", new MaxPool2d(2, 2));
    final Conv2d conv2 = registerModule("conv2", new Conv2d(6, 16, 5));
    final Linear fc1 = registerModule("fc1", new Linear(16 * 5 * 5, 120));
    final Linear fc2 = registerModule("fc2", new Linear(120, 84));
    final Linear fc3 = registerModule("fc3", new Linear(84, 10));

    @Override
    public Tensor forward(Tensor x) {
        x = pool.forward(F.relu(conv1.forward(x)));
        x = pool.forward(F.relu(conv2.forward(x)));
        x = F.flatten(x, 1, -1);
        x = F.relu(fc1.forward(x));
        x = F.relu(fc2.forward(x));
        return fc3.forward(x);
    }
}
