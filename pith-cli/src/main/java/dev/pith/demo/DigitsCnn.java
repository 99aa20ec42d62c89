package dev.pith.demo;

import dev.pith.nn.Conv2d;
import dev.pith.nn.Dropout;
import dev.pith.nn.Linear;
import dev.pith.nn.MaxPool2d;
import dev.pith.nn.Module;
import dev.pith.nn.functional.F;
import dev.pith.tensor.Tensor;

/**
 * The demo's network for 8x8 digits, in the style of the PyTorch CIFAR-10 tutorial's {@code Net}.
 * The same architecture in Python (what {@code interop/check_demo.py} defines) loads its
 * {@code state_dict} unchanged:
 *
 * <pre>
 * class DigitsCnn(nn.Module):
 *     def __init__(self):
 *         super().__init__()
 *         self.conv1 = nn.Conv2d(1, 32, 3, padding=1)    # [N, 32, 8, 8]
 *         self.conv2 = nn.Conv2d(32, 64, 3, padding=1)   # [N, 64, 4, 4]
 *         self.pool = nn.MaxPool2d(2)
 *         self.fc1 = nn.Linear(64 * 2 * 2, 128)
 *         self.dropout = nn.Dropout(0.25)
 *         self.fc2 = nn.Linear(128, 10)
 *
 *     def forward(self, x):
 *         x = self.pool(F.relu(self.conv1(x)))
 *         x = self.pool(F.relu(self.conv2(x)))
 *         x = torch.flatten(x, 1)
 *         return self.fc2(self.dropout(F.relu(self.fc1(x))))
 * </pre>
 */
public final class DigitsCnn extends Module {
    private final Conv2d conv1 = registerModule("conv1", new Conv2d(1, 32, 3, 1, 1));
    private final Conv2d conv2 = registerModule("conv2", new Conv2d(32, 64, 3, 1, 1));
    private final MaxPool2d pool = registerModule("pool", new MaxPool2d(2));
    private final Linear fc1 = registerModule("fc1", new Linear(64 * 2 * 2, 128));
    private final Dropout dropout = registerModule("dropout", new Dropout(0.25));
    private final Linear fc2 = registerModule("fc2", new Linear(128, 10));

    /** Scores (logits) of the ten digits for images {@code [N, 1, 8, 8]}: {@code [N, 10]}. */
    @Override
    public Tensor forward(Tensor x) {
        x = pool.forward(F.relu(conv1.forward(x)));
        x = pool.forward(F.relu(conv2.forward(x)));
        x = F.flatten(x, 1, -1);
        return fc2.forward(dropout.forward(F.relu(fc1.forward(x))));
    }
}
