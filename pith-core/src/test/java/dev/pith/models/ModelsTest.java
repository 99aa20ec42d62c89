package dev.pith.models;

import dev.pith.ShapeException;
import dev.pith.nn.BatchNorm2d;
import dev.pith.nn.Conv2d;
import dev.pith.nn.Linear;
import dev.pith.tensor.DType;
import dev.pith.tensor.StateDict;
import dev.pith.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The registry, input checks and construction rules of {@code dev.pith.models} (no PyTorch needed). */
class ModelsTest {
    @Test
    void registryNamesAreTorchvisionsInOrder() {
        assertThat(Models.names()).containsExactly("cifar-net", "vgg11", "vgg11_bn", "vgg13", "vgg13_bn", "vgg16",
                "vgg16_bn", "vgg19", "vgg19_bn", "resnet18", "resnet34", "resnet50", "resnet101", "mobilenet_v2");
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        assertThatThrownBy(() -> Models.architecture("resnet17"))
                .isInstanceOf(UnknownModelException.class)
                .hasMessage("unknown model 'resnet17'; known models: cifar-net, vgg11, vgg11_bn, vgg13, vgg13_bn, vgg16, "
                        + "vgg16_bn, vgg19, vgg19_bn, resnet18, resnet34, resnet50, resnet101, mobilenet_v2")
                .extracting(e -> ((UnknownModelException) e).name()).isEqualTo("resnet17");
    }

    @Test
    void classifierKeysNameTheLastLinearLayer() {
        assertThat(Models.architecture("cifar-net").classifierWeightKey()).isEqualTo("fc3.weight");
        assertThat(Models.architecture("vgg13_bn").classifierWeightKey()).isEqualTo("classifier.6.weight");
        assertThat(Models.architecture("resnet50").classifierWeightKey()).isEqualTo("fc.weight");
        assertThat(Models.architecture("mobilenet_v2").classifierWeightKey()).isEqualTo("classifier.1.weight");
    }

    @Test
    void numClassesComesFromTheClassifiersRowsOrIsEmpty() {
        Architecture resnet = Models.architecture("resnet18");
        assertThat(resnet.numClassesIn(Map.of("fc.weight", Tensor.zeros(DType.FLOAT32, 37, 512)))).hasValue(37);
        assertThat(resnet.numClassesIn(Map.of("fc.bias", Tensor.zeros(DType.FLOAT32, 37)))).isEmpty();
        assertThat(resnet.numClassesIn(Map.of("fc.weight", Tensor.zeros(DType.FLOAT32, 37)))).isEmpty();
        assertThat(resnet.numClassesIn(Map.of("fc.weight", Tensor.zeros(DType.FLOAT32, 0, 512)))).isEmpty();
    }

    @Test
    void createRefusesANonPositiveNumberOfClasses() {
        assertThatThrownBy(() -> Models.create("cifar-net", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cifar-net: the number of classes must be positive, got 0");
    }

    @Test
    void cifarNetTakesExactly32By32() {
        Architecture net = Models.architecture("cifar-net");
        net.checkInput(Tensor.zeros(DType.FLOAT32, 2, 3, 32, 32));
        assertThat(net.expectedInput()).isEqualTo("float32 [N, 3, 32, 32]");
        assertThatThrownBy(() -> net.checkInput(Tensor.zeros(DType.FLOAT32, 2, 3, 64, 64)))
                .isInstanceOf(ShapeException.class)
                .hasMessage("cifar-net takes float32 [N, 3, 32, 32], got float32 [2, 3, 64, 64]");
    }

    @Test
    void inputChecksNameDtypeRankChannelsAndSize() {
        Architecture resnet = Models.architecture("resnet18");
        resnet.checkInput(Tensor.zeros(DType.FLOAT32, 1, 3, 1, 5));
        assertThatThrownBy(() -> resnet.checkInput(Tensor.zeros(DType.FLOAT32, 3, 224, 224)))
                .hasMessage("resnet18 takes float32 [N, 3, H, W], got float32 [3, 224, 224]");
        assertThatThrownBy(() -> resnet.checkInput(Tensor.zeros(DType.FLOAT32, 1, 1, 224, 224)))
                .hasMessage("resnet18 takes float32 [N, 3, H, W], got float32 [1, 1, 224, 224]");
        assertThatThrownBy(() -> resnet.checkInput(Tensor.zeros(DType.FLOAT64, 1, 3, 8, 8)))
                .hasMessage("resnet18 takes float32 [N, 3, H, W], got float64 [1, 3, 8, 8]");
        Architecture vgg = Models.architecture("vgg11");
        vgg.checkInput(Tensor.zeros(DType.FLOAT32, 1, 3, 32, 40));
        assertThatThrownBy(() -> vgg.checkInput(Tensor.zeros(DType.FLOAT32, 1, 3, 32, 31)))
                .isInstanceOf(ShapeException.class)
                .hasMessage("vgg11 takes float32 [N, 3, H, W] with H, W >= 32, got float32 [1, 3, 32, 31]");
    }

    @Test
    void makeDivisibleIsTorchvisions() {
        // values from torchvision.models._utils._make_divisible
        assertThat(MobileNetV2.makeDivisible(32 * 0.75, 8)).isEqualTo(24);
        assertThat(MobileNetV2.makeDivisible(1280.0, 8)).isEqualTo(1280);
        assertThat(MobileNetV2.makeDivisible(24 * 0.35, 8)).isEqualTo(8);
        assertThat(MobileNetV2.makeDivisible(96 * 0.35, 8)).isEqualTo(32);
        assertThat(MobileNetV2.makeDivisible(13, 8)).isEqualTo(16);
        assertThat(MobileNetV2.makeDivisible(3, 8)).isEqualTo(8);
        assertThat(MobileNetV2.makeDivisible(10, 8)).isEqualTo(16);   // 8 would be more than 10% below
    }

    @Test
    void blocksRefuseWhatTorchvisionRefuses() {
        assertThatThrownBy(() -> new InvertedResidual(16, 16, 3, 6))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("stride should be 1 or 2 instead of 3");
        assertThatThrownBy(() -> new BasicBlock(64, 64, 1, null, 2, 64, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("BasicBlock only supports groups=1 and base_width=64");
        assertThatThrownBy(() -> new BasicBlock(64, 64, 1, null, 1, 64, 2))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessage("Dilation > 1 not supported in BasicBlock");
    }

    @Test
    void invertedResidualAddsTheInputOnlyAtStride1AndSameWidth() {
        assertThat(new InvertedResidual(16, 16, 1, 6).useResConnect()).isTrue();
        assertThat(new InvertedResidual(16, 16, 2, 6).useResConnect()).isFalse();
        assertThat(new InvertedResidual(16, 24, 1, 6).useResConnect()).isFalse();
        assertThat(new InvertedResidual(32, 16, 1, 1).stateDict().keySet()).first().isEqualTo("conv.0.0.weight");
        assertThat(new InvertedResidual(32, 16, 1, 1).getSubmodule("conv.0.0")).isInstanceOf(Conv2d.class)
                .extracting(m -> ((Conv2d) m).groups()).isEqualTo(32);
    }

    @Test
    void resnetBlocksAndDownsampling() {
        ResNet r = ResNet.resnet50(10);
        assertThat(r.getSubmodule("layer1.0")).isInstanceOf(Bottleneck.class);
        assertThat(r.getSubmodule("layer1.0").hasChild("downsample")).isTrue();    // 64 -> 256 channels
        assertThat(r.getSubmodule("layer1.1").hasChild("downsample")).isFalse();
        assertThat(((Conv2d) r.getSubmodule("layer2.0.conv2")).stride()).containsExactly(2, 2);
        assertThat(((Linear) r.fc()).inFeatures()).isEqualTo(2048);
        ResNet r18 = ResNet.resnet18(10);
        assertThat(r18.getSubmodule("layer1.0").hasChild("downsample")).isFalse();
        assertThat(r18.getSubmodule("layer2.0.downsample.0")).isInstanceOf(Conv2d.class);
    }

    @Test
    void resnetWideAndDilatedVariantsFollowTorchvisionsArithmetic() {
        ResNet wide = new ResNet(ResNet.Block.BOTTLENECK, new int[]{1, 1, 1, 1}, 10, false, 1, 128, null);
        assertThat(((Conv2d) wide.getSubmodule("layer1.0.conv1")).outChannels()).isEqualTo(128);
        ResNet next = new ResNet(ResNet.Block.BOTTLENECK, new int[]{1, 1, 1, 1}, 10, false, 32, 4, null);
        assertThat(((Conv2d) next.getSubmodule("layer1.0.conv2")).groups()).isEqualTo(32);
        assertThat(((Conv2d) next.getSubmodule("layer1.0.conv2")).outChannels()).isEqualTo(128);
        ResNet dilated = new ResNet(ResNet.Block.BOTTLENECK, new int[]{1, 2, 1, 1}, 10, false, 1, 64,
                new boolean[]{false, true, true});
        Conv2d layer3 = (Conv2d) dilated.getSubmodule("layer3.0.conv2");
        assertThat(layer3.stride()).containsExactly(1, 1);
        assertThat(layer3.dilation()).containsExactly(1, 1);       // the first block keeps the previous dilation
        assertThat(((Conv2d) dilated.getSubmodule("layer4.0.conv2")).dilation()).containsExactly(2, 2);
    }

    @Test
    void zeroInitResidualZeroesTheLastBatchNormOfEachBlock() {
        ResNet r = new ResNet(ResNet.Block.BASIC, new int[]{1, 1, 1, 1}, 10, true, 1, 64, null);
        BatchNorm2d bn2 = (BatchNorm2d) r.getSubmodule("layer3.0.bn2");
        assertThat(bn2.weight().toFloatArray()).containsOnly(0f);
        assertThat(((BatchNorm2d) r.getSubmodule("layer3.0.bn1")).weight().toFloatArray()).containsOnly(1f);
    }

    @Test
    void initialisationFollowsTorchvision() {
        ResNet r = ResNet.resnet18(10);
        // kaiming_normal_(fan_out, relu): std = sqrt(2 / (64 * 7 * 7))
        assertThat(std(((Conv2d) r.getSubmodule("conv1")).weight())).isCloseTo(Math.sqrt(2.0 / (64 * 49)), within(0.002));
        BatchNorm2d bn = (BatchNorm2d) r.getSubmodule("layer1.0.bn1");
        assertThat(bn.weight().toFloatArray()).containsOnly(1f);
        assertThat(bn.bias().toFloatArray()).containsOnly(0f);

        MobileNetV2 m = new MobileNetV2(10);
        Linear head = (Linear) m.getSubmodule("classifier.1");
        assertThat(std(head.weight())).isCloseTo(0.01, within(0.0005));
        assertThat(head.bias().toFloatArray()).containsOnly(0f);
        Conv2d pw = (Conv2d) m.getSubmodule("features.18.0");      // 320 -> 1280, 1x1: std sqrt(2 / 1280)
        assertThat(std(pw.weight())).isCloseTo(Math.sqrt(2.0 / 1280), within(0.001));
    }

    @Test
    void cifarNetHasTheTutorialsLayersAndName() {
        CifarNet net = new CifarNet(7);
        assertThat(net.stateDict().keySet()).containsExactly("conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias",
                "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias");
        assertThat(net.toString()).startsWith("Net(\n  (conv1): Conv2d(3, 6, kernel_size=(5, 5), stride=(1, 1))");
        StateDict wrong = net.stateDict();
        wrong.remove("fc3.bias");
        assertThatThrownBy(() -> new CifarNet(7).loadStateDict(wrong))
                .hasMessageStartingWith("Error(s) in loading state_dict for Net:");
    }

    private static double std(Tensor t) {
        float[] v = t.toFloatArray();
        double mean = 0;
        for (float x : v) {
            mean += x;
        }
        mean /= v.length;
        double var = 0;
        for (float x : v) {
            var += (x - mean) * (x - mean);
        }
        return Math.sqrt(var / v.length);
    }
}
