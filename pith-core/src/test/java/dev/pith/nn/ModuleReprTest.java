package dev.pith.nn;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

/** {@code toString()} of every layer and of nested containers, compared with torch's {@code repr}. */
class ModuleReprTest {
    /** name -> (PyTorch expression, the same module built in Java). */
    private static final Map<String, Map.Entry<String, Supplier<Module>>> CASES = new LinkedHashMap<>();
    private static Map<String, String> torch;

    private static void add(String python, Supplier<Module> java) {
        CASES.put("m" + CASES.size(), Map.entry(python, java));
    }

    static {
        add("nn.Conv1d(3, 6, 5)", () -> new Conv1d(3, 6, 5));
        add("nn.Conv1d(3, 6, 3, padding='same')", () -> Conv1d.builder(3, 6, 3).padding("same").build());
        add("nn.Conv2d(3, 6, 5)", () -> new Conv2d(3, 6, 5));
        add("nn.Conv2d(3, 64, 3, stride=2, padding=1, bias=False)",
                () -> Conv2d.builder(3, 64, 3).stride(2).padding(1).bias(false).build());
        add("nn.Conv2d(4, 8, (3, 5), padding='valid', dilation=2, groups=2)",
                () -> Conv2d.builder(4, 8, 3, 5).padding("valid").dilation(2).groups(2).build());
        add("nn.Conv2d(4, 8, 3, padding='same')", () -> Conv2d.builder(4, 8, 3).padding("same").build());
        add("nn.Conv2d(3, 64, 3, 1, 1)", () -> new Conv2d(3, 64, 3, 1, 1));
        add("nn.ConvTranspose2d(16, 8, 3, stride=2, padding=1, output_padding=1)",
                () -> ConvTranspose2d.builder(16, 8, 3).stride(2).padding(1).outputPadding(1).build());
        add("nn.ConvTranspose2d(16, 8, 2)", () -> new ConvTranspose2d(16, 8, 2));
        add("nn.MaxPool2d(2, 2)", () -> new MaxPool2d(2, 2));
        add("nn.MaxPool2d(2)", () -> new MaxPool2d(2));
        add("nn.MaxPool2d(3, 2, 1, ceil_mode=True)",
                () -> MaxPool2d.builder(3).stride(2).padding(1).ceilMode(true).build());
        add("nn.MaxPool2d((2, 3))", () -> MaxPool2d.builder(2, 3).build());
        add("nn.AvgPool2d(2)", () -> new AvgPool2d(2));
        add("nn.AvgPool2d(3, 2, 1, ceil_mode=True, count_include_pad=False)",
                () -> AvgPool2d.builder(3).stride(2).padding(1).ceilMode(true).countIncludePad(false).build());
        add("nn.AdaptiveAvgPool2d((7, 7))", () -> new AdaptiveAvgPool2d(7, 7));
        add("nn.AdaptiveAvgPool2d(1)", () -> new AdaptiveAvgPool2d(1));
        add("nn.AdaptiveMaxPool2d((2, None))", () -> new AdaptiveMaxPool2d(2, null));
        add("nn.Linear(512, 10)", () -> new Linear(512, 10));
        add("nn.Linear(3, 4, bias=False)", () -> new Linear(3, 4, false));
        add("nn.Identity()", Identity::new);
        add("nn.Flatten()", Flatten::new);
        add("nn.Flatten(0, 2)", () -> new Flatten(0, 2));
        add("nn.ReLU()", ReLU::new);
        add("nn.ReLU(inplace=True)", () -> new ReLU(true));
        add("nn.ReLU6(True)", () -> new ReLU6(true));
        add("nn.LeakyReLU()", LeakyReLU::new);
        add("nn.LeakyReLU(0.2, True)", () -> new LeakyReLU(0.2, true));
        add("nn.GELU()", GELU::new);
        add("nn.GELU('tanh')", () -> new GELU("tanh"));
        add("nn.SiLU()", SiLU::new);
        add("nn.Sigmoid()", Sigmoid::new);
        add("nn.Tanh()", Tanh::new);
        add("nn.Hardswish(True)", () -> new Hardswish(true));
        add("nn.Softmax(dim=1)", () -> new Softmax(1));
        add("nn.Softmax()", Softmax::new);
        add("nn.LogSoftmax(dim=-1)", () -> new LogSoftmax(-1));
        add("nn.Dropout()", Dropout::new);
        add("nn.Dropout(0.25, True)", () -> new Dropout(0.25, true));
        add("nn.Dropout2d(0.1)", () -> new Dropout2d(0.1));
        add("nn.BatchNorm1d(3)", () -> new BatchNorm1d(3));
        add("nn.BatchNorm2d(64, momentum=None, affine=False, track_running_stats=False)",
                () -> BatchNorm2d.builder(64).momentum(null).affine(false).trackRunningStats(false).build());
        add("nn.BatchNorm2d(8, eps=1e-3, momentum=0.01)", () -> new BatchNorm2d(8, 1e-3, 0.01));
        add("nn.LayerNorm(10)", () -> new LayerNorm(10));
        add("nn.LayerNorm([3, 4], eps=1e-6, elementwise_affine=False)",
                () -> new LayerNorm(new long[]{3, 4}, 1e-6, false));
        add("nn.GroupNorm(2, 4)", () -> new GroupNorm(2, 4));
        add("nn.GroupNorm(32, 64, eps=1e-6, affine=False)", () -> new GroupNorm(32, 64, 1e-6, false));
        add("nn.Embedding(10, 3)", () -> new Embedding(10, 3));
        add("nn.Embedding(10, 3, padding_idx=-1)", () -> new Embedding(10, 3, -1));
        add("nn.ZeroPad2d(2)", () -> new ZeroPad2d(2));
        add("nn.ZeroPad2d((1, 2, 3, 4))", () -> new ZeroPad2d(1, 2, 3, 4));
        add("nn.Upsample(scale_factor=2)", () -> new Upsample(2));
        add("nn.Upsample(size=(4, 5), mode='bilinear')", () -> Upsample.builder().size(4, 5).mode("bilinear").build());
        add("nn.Upsample(scale_factor=2.5, mode='bilinear', align_corners=True)",
                () -> Upsample.builder().scaleFactor(2.5).mode("bilinear").alignCorners(true).build());
        add("nn.Upsample(size=7)", () -> Upsample.builder().size(7).build());
        add("nn.Sequential()", Sequential::new);
        add("nn.ModuleList()", ModuleList::new);
        add("nn.ModuleList([nn.ReLU(), nn.Linear(2, 3)])", () -> new ModuleList(new ReLU(), new Linear(2, 3)));
        add("nn.ModuleDict(collections.OrderedDict([('b', nn.ReLU()), ('a', nn.Tanh())]))", () -> {
            ModuleDict d = new ModuleDict();
            d.put("b", new ReLU());
            d.put("a", new Tanh());
            return d;
        });
        add("nn.Sequential(nn.Conv2d(3, 6, 5), nn.Sequential(nn.BatchNorm2d(6), nn.ReLU()), nn.Linear(2, 3))",
                () -> new Sequential(new Conv2d(3, 6, 5), new Sequential(new BatchNorm2d(6), new ReLU()), new Linear(2, 3)));
        add("Net()", StateDictTest.Net::new);
    }

    @BeforeAll
    static void runTorch() {
        StringBuilder script = new StringBuilder(StateDictTest.NET_PY);
        CASES.forEach((name, c) -> script.append("emit('").append(name).append("', repr(").append(c.getKey()).append("))\n"));
        torch = InlineTorchScript.run(script.toString());
    }

    @Test
    void everyLayerPrintsAsTorchDoes() {
        assertThat(torch).hasSameSizeAs(CASES);
        assertSoftly(soft -> CASES.forEach((name, c) ->
                soft.assertThat(c.getValue().get().toString()).as(c.getKey()).isEqualTo(torch.get(name))));
    }

    @Test
    void replacedChildIsPrintedInItsPlace() {
        Sequential s = new Sequential(new Linear(4, 4), new ReLU());
        s.set(0, new Identity());
        assertThat(s.toString()).isEqualTo("Sequential(\n  (0): Identity()\n  (1): ReLU()\n)");
    }

    @Test
    void noneChildPrintsAsNone() {
        Sequential s = new Sequential(new ReLU());
        s.registerModule("1", null);
        assertThat(s.toString()).isEqualTo("Sequential(\n  (0): ReLU()\n  (1): None\n)");
    }
}
