package dev.pith.autograd;

import dev.pith.nn.AdaptiveAvgPool2d;
import dev.pith.nn.BatchNorm2d;
import dev.pith.nn.Conv2d;
import dev.pith.nn.Linear;
import dev.pith.nn.MaxPool2d;
import dev.pith.nn.Module;
import dev.pith.nn.ReLU;
import dev.pith.nn.Sequential;
import dev.pith.nn.functional.F;
import dev.pith.tensor.Tensor;

/**
 * The two networks of the gradient acceptance tests, assembled from {@code dev.pith.nn} layers with
 * PyTorch's state-dict names: the CIFAR-10 tutorial's {@code Net}, and torchvision's resnet18
 * (BasicBlocks [2, 2, 2, 2]).
 */
final class TestModels {
    private TestModels() {
    }

    /** The tutorial's {@code Net}; its forward uses {@code x.view(n, -1)} as the tutorial's flatten. */
    static Module cifarNet() {
        return new Module() {
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
                x = x.view(x.size(0), -1);
                x = F.relu(fc1.forward(x));
                x = F.relu(fc2.forward(x));
                return fc3.forward(x);
            }
        };
    }

    /** torchvision's resnet18 with {@code numClasses} outputs. */
    static Module resnet18(int numClasses) {
        return new Module() {
            final Module conv1 = registerModule("conv1", Conv2d.builder(3, 64, 7).stride(2).padding(3).bias(false).build());
            final Module bn1 = registerModule("bn1", new BatchNorm2d(64));
            final Module relu = registerModule("relu", new ReLU());
            final Module maxpool = registerModule("maxpool", MaxPool2d.builder(3).stride(2).padding(1).build());
            final Module layer1 = registerModule("layer1", layer(64, 64, 1));
            final Module layer2 = registerModule("layer2", layer(64, 128, 2));
            final Module layer3 = registerModule("layer3", layer(128, 256, 2));
            final Module layer4 = registerModule("layer4", layer(256, 512, 2));
            final Module avgpool = registerModule("avgpool", new AdaptiveAvgPool2d(1));
            final Linear fc = registerModule("fc", new Linear(512, numClasses));

            @Override
            public Tensor forward(Tensor x) {
                x = maxpool.forward(relu.forward(bn1.forward(conv1.forward(x))));
                x = layer4.forward(layer3.forward(layer2.forward(layer1.forward(x))));
                return fc.forward(F.flatten(avgpool.forward(x), 1, -1));
            }
        };
    }

    private static Sequential layer(int in, int out, int stride) {
        return new Sequential(new BasicBlock(in, out, stride), new BasicBlock(out, out, 1));
    }

    /** torchvision's BasicBlock: two 3x3 convolutions with batch norm, and a 1x1 projection when the shape changes. */
    static final class BasicBlock extends Module {
        private final Module downsample;

        @SuppressWarnings("this-escape")
        BasicBlock(int in, int out, int stride) {
            registerModule("conv1", Conv2d.builder(in, out, 3).stride(stride).padding(1).bias(false).build());
            registerModule("bn1", new BatchNorm2d(out));
            registerModule("relu", new ReLU());
            registerModule("conv2", Conv2d.builder(out, out, 3).padding(1).bias(false).build());
            registerModule("bn2", new BatchNorm2d(out));
            downsample = stride != 1 || in != out
                    ? registerModule("downsample", new Sequential(
                            Conv2d.builder(in, out, 1).stride(stride).bias(false).build(), new BatchNorm2d(out)))
                    : null;
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor out = getChild("relu").forward(getChild("bn1").forward(getChild("conv1").forward(x)));
            out = getChild("bn2").forward(getChild("conv2").forward(out));
            Tensor identity = downsample != null ? downsample.forward(x) : x;
            return getChild("relu").forward(out.add(identity));
        }
    }
}
