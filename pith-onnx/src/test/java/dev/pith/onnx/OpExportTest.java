package dev.pith.onnx;

import dev.pith.autograd.GradMode;
import dev.pith.interop.Json;
import dev.pith.nn.BatchNorm1d;
import dev.pith.nn.BatchNorm2d;
import dev.pith.nn.Conv2d;
import dev.pith.nn.ConvTranspose2d;
import dev.pith.nn.Embedding;
import dev.pith.nn.GroupNorm;
import dev.pith.nn.Init;
import dev.pith.nn.LayerNorm;
import dev.pith.nn.Linear;
import dev.pith.nn.Module;
import dev.pith.nn.functional.F;
import dev.pith.tensor.DType;
import dev.pith.tensor.Generator;
import dev.pith.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.pith.onnx.ModelExportTest.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Each mapped op family, exported from a small module traced at batch 2, runs in ONNX Runtime at
 * batch sizes 2 and 3 with Pith's outputs; every exported file passes {@code check_model}; ops and
 * tensors without an ONNX form fail naming the op and where it was called.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpExportTest {
    private final Map<String, Path> exported = new LinkedHashMap<>();
    private Path dir;

    record Case(String name, Module module, long[] inputShape) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    void makeDir() throws Exception {
        dir = Files.createTempDirectory("pith-onnx-ops");
    }

    @AfterAll
    void checkEveryExportedFile() throws Exception {
        try {
            if (!exported.isEmpty()) {
                List<Map<String, Object>> reports = OnnxChecker.check(exported.values().toArray(Path[]::new));
                assertThat(reports).hasSize(exported.size());
                for (Map<String, Object> r : reports) {
                    assertThat(r).as("check_model of %s: %s", r.get("file"), r.get("error")).containsEntry("ok", true);
                }
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }

    static Stream<Case> cases() {
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("activations", new TestNet((n, x) -> F.cat(List.of(F.relu6(x), F.hardswish(x), F.sigmoid(x),
                F.tanh(x), F.leakyRelu(x, 0.1), F.silu(x), F.gelu(x, "none"), F.gelu(x, "tanh"), F.relu(x)), 1)),
                shape(2, 3, 4, 5)));
        cases.add(new Case("linear over 3-d, softmax, log-softmax", new TestNet((n, x) -> {
            Tensor y = n.c("fc").forward(x);
            return F.cat(List.of(F.softmax(y, -1), F.logSoftmax(y, 1)), 2);
        }).withChild("fc", new Linear(8, 6)), shape(2, 5, 8)));
        cases.add(new Case("pooling", new TestNet((n, x) -> F.cat(List.of(
                F.avgPool2d(x, new int[]{3, 3}, new int[]{2, 2}, new int[]{1, 1}, false, false),
                F.avgPool2d(x, new int[]{3, 3}, new int[]{2, 2}, new int[]{1, 1}, false, true),
                F.maxPool2d(x, new int[]{3, 3}, new int[]{2, 2}, new int[]{1, 1}, new int[]{1, 1}, false),
                F.adaptiveAvgPool2d(x, 4, 4), F.adaptiveMaxPool2d(x, 4, 4),
                F.adaptiveAvgPool2d(x, 1, 1).expand(-1, -1, 4, 4), F.adaptiveMaxPool2d(x, 1, 1).expand(-1, -1, 4, 4)), 1)),
                shape(2, 3, 8, 8)));
        cases.add(new Case("convolutions", new TestNet((n, x) -> {
            Tensor y = n.c("conv").forward(x);
            y = n.c("up").forward(y);
            return F.conv2d(y, n.p("w"), null, new int[]{1, 1}, new int[]{2, 2}, new int[]{2, 2}, 2);
        }).withChild("conv", Conv2d.builder(4, 6, 3).stride(2).padding(1).groups(2).build())
                .withChild("up", ConvTranspose2d.builder(6, 4, 3).stride(2).padding(1).outputPadding(1).build())
                .withParam("w", 6, 2, 3, 3), shape(2, 4, 9, 10)));
        cases.add(new Case("fused eval ops", new TestNet((n, x) -> {
            BatchNorm2d bn = (BatchNorm2d) n.c("bn");
            Tensor a = F.conv2dBatchNorm(x, n.p("w"), n.p("b"), null, new int[]{1, 1}, null, 1,
                    bn.getBuffer("running_mean"), bn.getBuffer("running_var"), bn.weight(), bn.bias(), 1e-5, true);
            Tensor c = F.conv2dBatchNorm(x, n.p("w"), null, null, new int[]{1, 1}, null, 1,
                    bn.getBuffer("running_mean"), bn.getBuffer("running_var"), null, null, 1e-3, false);
            Tensor d = F.conv2dRelu(x, n.p("w"), n.p("b"), null, new int[]{1, 1}, null, 1);
            Tensor e = F.batchNormRelu(d, bn.getBuffer("running_mean"), bn.getBuffer("running_var"), bn.weight(),
                    bn.bias(), false, 0.1, 1e-5);
            return F.addRelu(F.add(a, c), e.sub(d));
        }).withParam("w", 5, 3, 3, 3).withParam("b", 5).withChild("bn", randomBatchNorm(new BatchNorm2d(5))),
                shape(2, 3, 6, 6)));
        cases.add(new Case("batch norm 1d, layer norm", new TestNet((n, x) -> {
            Tensor y = n.c("bn").forward(x.flatten(1, -1));
            return n.c("ln").forward(y.view(y.size(0), 4, 6));
        }).withChild("bn", randomBatchNorm(new BatchNorm1d(24))).withChild("ln", new LayerNorm(6)), shape(2, 4, 6)));
        cases.add(new Case("resampling and padding", new TestNet((n, x) -> F.cat(List.of(
                F.interpolateNearest(x, 10, 12),
                F.interpolateBilinear(x, 10, 12, true),
                F.interpolateBilinear(x, 10, 12, false),
                F.pad2d(F.interpolateNearest(x, 9, 11), new int[]{1, 0, 2, -1})), 1)), shape(2, 3, 5, 6)));
        cases.add(new Case("tensor arithmetic", new TestNet((n, x) -> {
            Tensor y = x.mul(n.b("scale")).add(1.5).sub(n.p("shift")).div(2.0).neg();
            Tensor z = y.abs().add(1).sqrt().log().exp().pow(2).mul(0.5).clamp(-1, 3).clampMin(0.1);
            Tensor w = z.div(y.abs().add(1)).sub(0.25).mul(y).add(z.matmul(n.p("m")).sum(-1, true));
            return w.mean(new int[]{1}, true).add(w).add(w.sum(new int[]{1, 2}, true));
        }).withBuffer("scale", 1, 4).withParam("shift", 4).withParam("m", 4, 4), shape(2, 3, 4)));
        cases.add(new Case("views", new TestNet((n, x) -> {
            Tensor a = x.permute(0, 2, 3, 1).transpose(1, 2).contiguous().view(x.size(0), -1, 3);   // [N, 20, 3]
            Tensor b = a.narrow(1, 2, 10).slice(1, 0, 10, 3).unsqueeze(1).squeeze(1);              // [N, 4, 3]
            Tensor c = a.select(1, 5).unsqueeze(1).expand(-1, 4, 3);                                 // [N, 4, 3]
            Tensor d = x.flatten(2, 3).reshape(x.size(0), 3, 4, 5).flatten(0, 1);                   // [N*3, 4, 5]
            Tensor e = d.view(-1, 3, 20).sum(new int[]{2}, false).unsqueeze(2).detach().copy();    // [N, 3, 1]
            return b.add(c).add(e.transpose(1, 2)).add(x.argmax(1).to(DType.FLOAT32).sum(new int[]{1, 2}, false)
                    .view(-1, 1, 1));
        }), shape(2, 3, 4, 5)));
        cases.add(new Case("embedding", new TestNet((n, x) -> n.c("emb").forward(x).flatten(1, -1))
                .withChild("emb", new Embedding(10, 4)), new long[0]));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void runsInOnnxRuntimeAsInPith(Case c) throws Exception {
        Path file = dir.resolve(c.name().replaceAll("[^a-z0-9]+", "_") + ".onnx");
        Generator g = new Generator(11);
        c.module().eval();
        OnnxExport.export(c.module(), input(c, 2, g), file);
        exported.put(c.name(), file);
        try (OrtRunner ort = new OrtRunner(file)) {
            for (int batch : new int[]{2, 3}) {
                Tensor x = input(c, batch, g);
                Tensor expected;
                try (var noGrad = GradMode.noGrad()) {
                    expected = c.module().forward(x);
                }
                assertClose(c.name() + " at batch " + batch, ort.run(x), expected);
            }
        }
    }

    @Test
    void anOpWithoutMappingFailsNamingTheOpAndWhereItWasCalled() {
        Module net = new TestNet((n, x) -> n.c("norm").forward(F.relu(x))).withChild("norm", new GroupNorm(2, 4));
        assertThatThrownBy(() -> OnnxExport.toBytes(net, Tensor.zeros(DType.FLOAT32, 1, 4, 3, 3)))
                .isInstanceOf(OnnxExportException.class)
                .hasMessageStartingWith("no ONNX mapping for op groupNorm (recorded at dev.pith.nn.GroupNorm.forward(GroupNorm.java:");
    }

    @Test
    void aLossInTheForwardFailsNamingIt() {
        Module net = new TestNet((n, x) -> F.mseLoss(x, n.b("target"))).withBuffer("target", 2, 3);
        assertThatThrownBy(() -> OnnxExport.toBytes(net, Tensor.zeros(DType.FLOAT32, 2, 3)))
                .isInstanceOf(OnnxExportException.class)
                .hasMessageContaining("no ONNX mapping for op mseLoss (recorded at dev.pith.onnx.OpExportTest");
    }

    @Test
    void aTensorMadeInsideForwardFailsAndSaysHowToExportIt() {
        Module net = new TestNet((n, x) -> x.add(Tensor.ones(DType.FLOAT32, 3)));
        assertThatThrownBy(() -> OnnxExport.toBytes(net, Tensor.zeros(DType.FLOAT32, 2, 3)))
                .isInstanceOf(OnnxExportException.class)
                .hasMessageContaining("op add (recorded at dev.pith.onnx.OpExportTest")
                .hasMessageContaining("register it as a buffer");
    }

    @Test
    void adaptivePoolingWithUnequalWindowsFailsNamingTheSizes() {
        Module net = new TestNet((n, x) -> F.adaptiveAvgPool2d(x, 5, 5));
        assertThatThrownBy(() -> OnnxExport.toBytes(net, Tensor.zeros(DType.FLOAT32, 1, 2, 7, 7)))
                .isInstanceOf(OnnxExportException.class)
                .hasMessageContaining("op adaptiveAvgPool2d")
                .hasMessageContaining("from 7x7 to 5x5");
    }

    @Test
    void trainingModeOpsFailAndTheModuleKeepsItsFlags() {
        BatchNorm1d bn = new BatchNorm1d(3);
        Module net = new TestNet((n, x) -> F.batchNorm(x, null, null, null, null, true, 0.1, 1e-5)).withChild("bn", bn);
        net.train();
        bn.eval();
        assertThatThrownBy(() -> OnnxExport.toBytes(net, Tensor.zeros(DType.FLOAT32, 2, 3)))
                .isInstanceOf(OnnxExportException.class)
                .hasMessageContaining("op batchNorm")
                .hasMessageContaining("batch statistics");
        assertThat(net.isTraining()).isTrue();
        assertThat(bn.isTraining()).isFalse();
    }

    @Test
    void nodesSayWhichPithOpTheyCameFrom() {
        byte[] model = OnnxExport.toBytes(new TestNet((n, x) -> F.relu(x)), Tensor.zeros(DType.FLOAT32, 1, 2));
        assertThat(new String(model, java.nio.charset.StandardCharsets.UTF_8)).contains("relu at dev.pith.onnx.OpExportTest");
    }

    @Test
    void theBytesAreTheFileAndLoadInOnnxRuntime() throws Exception {
        Module net = new TestNet((n, x) -> n.c("fc").forward(x)).withChild("fc", new Linear(3, 2));
        Tensor x = Tensor.fromFloats(new float[]{1, 2, 3}, 1, 3);
        byte[] bytes = OnnxExport.toBytes(net, x);
        Path file = dir.resolve("bytes.onnx");
        OnnxExport.export(net, x, file);
        assertThat(Files.readAllBytes(file)).isEqualTo(bytes);
        Files.delete(file);
        var env = ai.onnxruntime.OrtEnvironment.getEnvironment();
        try (var session = env.createSession(bytes);
             var in = ai.onnxruntime.OnnxTensor.createTensor(env, new float[][]{{1, 2, 3}});
             var result = session.run(Map.of("input", in))) {
            float[][] y = (float[][]) result.get(0).getValue();
            assertThat(y[0]).containsExactly(net.forward(x).toFloatArray(), org.assertj.core.data.Offset.offset(1e-6f));
        }
    }

    private static Tensor input(Case c, int batch, Generator g) {
        if (c.inputShape().length == 0) {   // embedding indices
            long[] idx = new long[batch * 5];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = g.nextLong(10);
            }
            return Tensor.fromLongs(idx, batch, 5);
        }
        long[] s = c.inputShape().clone();
        s[0] = batch;
        return ModelExportTest.randn(g, s);
    }

    private static BatchNorm2d randomBatchNorm(BatchNorm2d bn) {
        randomise(bn);
        return bn;
    }

    private static BatchNorm1d randomBatchNorm(BatchNorm1d bn) {
        randomise(bn);
        return bn;
    }

    private static void randomise(Module bn) {
        Generator g = new Generator(3);
        Init.normal_(bn.getBuffer("running_mean"), 0, 0.3, g);
        Init.uniform_(bn.getBuffer("running_var"), 0.5, 1.5, g);
        Init.uniform_(bn.getParameter("weight"), 0.5, 1.5, g);
        Init.normal_(bn.getParameter("bias"), 0, 0.3, g);
    }

    private static long[] shape(long... s) {
        return s;
    }
}
