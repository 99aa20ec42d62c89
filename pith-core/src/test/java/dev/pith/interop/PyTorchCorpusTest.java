package dev.pith.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The corpus made by the real PyTorch, and describe.py's account of it. */
class PyTorchCorpusTest {

    static List<String> corpusFiles() {
        return PyTorch.corpusFiles();
    }

    /** One start of Python describes the whole corpus, both ways; the tests then read the cache. */
    @BeforeAll
    static void describeTheCorpusOnce() {
        List<Path> files = PyTorch.corpusFiles().stream().map(PyTorch::corpusFile).toList();
        PyTorch.describeAll(files, false);
        PyTorch.describeAll(files, true);
    }

    @Test
    void corpusHoldsEveryCaseOfTheAcceptance() {
        assertThat(PyTorch.corpusFiles()).contains(
                "cifar_net_state_dict.pth", "resnet18_state_dict.pth", "mobilenet_v2_state_dict.pth",
                "checkpoint_sgd.pth", "checkpoint_sgd_tensor_loss.pth", "gan_two_models.pth",
                "dataparallel_state_dict.pth", "legacy_format.pth", "legacy_state_dict.pth", "views.pth",
                "dtypes.pth", "nested_values.pth", "torch_values.pth", "parameters.pth", "bare_tensor.pt",
                "cuda_tagged.pth", "cuda_tagged_legacy.pth");
        for (String name : PyTorch.corpusFiles()) {
            assertThat(PyTorch.corpusFile(name)).isRegularFile();
        }
        assertThat(PyTorch.corpus()).isSameAs(PyTorch.corpus());
    }

    @ParameterizedTest
    @MethodSource("corpusFiles")
    void describeGivesTheInspectJsonShape(String name) {
        Map<String, Object> described = describe(name);
        assertThat(described.keySet()).containsExactly("format", "tensors", "values");
        assertThat(described.get("format")).isEqualTo(entry(name).get("format"));
        for (Object t : Json.asArray(described.get("tensors"))) {
            Map<String, Object> tensor = Json.asObject(t);
            assertThat(tensor.keySet()).containsExactly("path", "dtype", "shape", "sha256", "requires_grad");
            assertThat(tensor.get("path")).isInstanceOf(String.class);
            assertThat((String) tensor.get("sha256")).matches("[0-9a-f]{64}");
            assertThat(Json.asArray(tensor.get("shape"))).allMatch(BigInteger.class::isInstance);
            assertThat(tensor.get("requires_grad")).isInstanceOf(Boolean.class);
        }
        for (Object v : Json.asArray(described.get("values"))) {
            assertThat(Json.asObject(v).keySet()).containsExactly("path", "value");
        }
    }

    @Test
    void stateDictsHaveTheirModelsKeys() {
        assertThat(tensors(describe("resnet18_state_dict.pth"))).hasSize(122).containsKey("layer4.1.bn2.num_batches_tracked");
        assertThat(tensors(describe("mobilenet_v2_state_dict.pth"))).hasSize(314).containsKey("classifier.1.weight");
        Map<String, Map<String, Object>> net = tensors(describe("cifar_net_state_dict.pth"));
        assertThat(net.keySet()).containsExactly("conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias",
                "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias");
        assertThat(net.get("fc1.weight").get("shape")).isEqualTo(ints(120, 400));
        Map<String, Map<String, Object>> parallel = tensors(describe("dataparallel_state_dict.pth"));
        assertThat(parallel.keySet()).allMatch(k -> k.startsWith("module."));
        assertThat(parallel.get("module.fc1.weight").get("sha256")).isEqualTo(net.get("fc1.weight").get("sha256"));
    }

    @Test
    void bareTensorHashesLittleEndianElementsAtTheRoot() throws Exception {
        ByteBuffer bytes = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putFloat(1f).putFloat(2f).putFloat(3f);
        Map<String, Object> described = describe("bare_tensor.pt");
        assertThat(described.get("tensors")).isEqualTo(List.of(Map.of("path", "", "dtype", "float32",
                "shape", ints(3), "sha256", sha256(bytes.array()), "requires_grad", false)));
        assertThat(entry("bare_tensor.pt").get("archive_prefix")).isEqualTo("archive");
    }

    @Test
    void viewsShareOneStorage() {
        Map<String, Map<String, Object>> views = tensors(describeExtra("views.pth"));
        Object base = views.get("base").get("storage_group");
        for (String view : List.of("row", "column", "transposed", "stepped", "narrow", "flat", "unsqueezed",
                "same_object_again", "in_list/0", "in_list/1", "in_tuple/0")) {
            assertThat(views.get(view).get("storage_group")).as(view).isEqualTo(base);
        }
        assertThat(views.get("transposed").get("stride")).isEqualTo(ints(1, 6));
        assertThat(views.get("stepped").get("stride")).isEqualTo(ints(12, 3));
        assertThat(views.get("narrow").get("storage_offset")).isEqualTo(BigInteger.valueOf(8));
        assertThat(views.get("expanded").get("stride")).isEqualTo(ints(0, 1));
        assertThat(views.get("expanded").get("storage_group")).isEqualTo(views.get("in_tuple/1").get("storage_group"))
                .isNotEqualTo(base);
        assertThat(views.get("partial_of_unsaved_base").get("storage_nbytes")).isEqualTo(BigInteger.valueOf(80));
        assertThat(views.get("partial_again").get("storage_group"))
                .isEqualTo(views.get("partial_of_unsaved_base").get("storage_group"));
        Map<String, Map<String, Object>> plain = tensors(describe("views.pth"));
        assertThat(plain.get("row").get("sha256")).isNotEqualTo(plain.get("base").get("sha256"));
        assertThat(plain.get("same_object_again").get("sha256")).isEqualTo(plain.get("base").get("sha256"));
    }

    @Test
    void dtypesCoverEveryDtypeWithScalarsAndEmptyTensors() {
        Map<String, Map<String, Object>> dtypes = tensors(describe("dtypes.pth"));
        Set<String> names = Set.of("float32", "float64", "float16", "bfloat16", "int8", "uint8", "int16", "int32",
                "int64", "bool", "complex64", "complex128");
        assertThat(dtypes.values().stream().map(t -> (String) t.get("dtype")).collect(Collectors.toSet())).isEqualTo(names);
        for (String name : names) {
            assertThat(dtypes.get(name).get("dtype")).isEqualTo(name);
            assertThat(dtypes.get(name + "_scalar").get("shape")).as(name).isEqualTo(List.of());
            assertThat(dtypes.get(name + "_empty").get("shape")).as(name).isEqualTo(ints(0));
            assertThat(dtypes.get(name + "_empty").get("sha256")).isEqualTo(sha256(new byte[0]));
        }
        ByteBuffer bools = ByteBuffer.wrap(new byte[] {1, 0, 1, 0, 0, 1});
        assertThat(dtypes.get("bool").get("sha256")).isEqualTo(sha256(bools.array()));
        ByteBuffer payloads = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(0x7FC00001).putInt(0xFFC00000).putInt(0x7F800001).putInt(0x7FFFFFFF);
        assertThat(dtypes.get("float32_nan_payloads").get("sha256")).isEqualTo(sha256(payloads.array()));
    }

    @Test
    void nestedValuesAreExact() {
        Map<String, Object> described = describeExtra("nested_values.pth");
        Map<String, Object> values = values(described);
        assertThat(values.get("big_int")).isEqualTo(BigInteger.TWO.pow(100));
        assertThat(values.get("big_negative_int")).isEqualTo(BigInteger.TWO.pow(70).negate().subtract(BigInteger.ONE));
        assertThat(values.get("uint64_max")).isEqualTo(BigInteger.TWO.pow(64).subtract(BigInteger.ONE));
        assertThat(values.get("nan")).isEqualTo("nan");
        assertThat(values.get("inf")).isEqualTo("inf");
        assertThat(values.get("negative_inf")).isEqualTo("-inf");
        assertThat(values.get("negative_zero")).isEqualTo(-0.0);
        assertThat(values.get("float")).isEqualTo(0.1);
        assertThat(values.get("float_big")).isEqualTo(Double.MAX_VALUE);
        assertThat(values.get("unicode")).isEqualTo("h\u00e9llo w\u00f6rld \u2014 \u65e5\u672c\u8a9e \uD83D\uDE80");
        assertThat(values.get("escapes")).isEqualTo("quote\" backslash\\ newline\n tab\t nul\0");
        assertThat(values).containsEntry("none", null).containsEntry("true", true).containsEntry("false", false);
        assertThat(values).containsEntry("tuple/2/1", null).containsEntry("list/1/1/1/0", BigInteger.valueOf(4));
        assertThat(values).containsEntry("int_keys/-3", "minus three").containsEntry("int_keys/100000000000000000000", "big key");
        assertThat(values).containsEntry("many_items/1004", BigInteger.valueOf(1004)).containsEntry("many_keys/k1002", BigInteger.valueOf(1002));
        assertThat(values.keySet()).noneMatch(k -> k.startsWith("empty_list") || k.startsWith("empty_dict") || k.startsWith("empty_tuple"));
        Map<String, Object> containers = Json.asObject(described.get("containers"));
        assertThat(containers).containsEntry("", "dict").containsEntry("empty_list", "list").containsEntry("empty_dict", "dict")
                .containsEntry("empty_tuple", "tuple").containsEntry("tuple/2", "tuple").containsEntry("ordered", "OrderedDict");
        assertThat(tensors(described)).containsOnlyKeys("tensor_inside/0");
    }

    @Test
    void torchObjectsBecomeStrings() {
        Map<String, Object> values = values(describe("torch_values.pth"));
        assertThat(values).containsEntry("dtype", "torch.float16").containsEntry("device", "cpu")
                .containsEntry("cuda_device", "cuda:0").containsEntry("size", "torch.Size([2, 3])");
    }

    @Test
    void checkpointsHoldOptimizerStateAndLoss() {
        Map<String, Object> sgd = describe("checkpoint_sgd.pth");
        assertThat(values(sgd)).containsEntry("epoch", BigInteger.valueOf(5)).containsKey("loss")
                .containsEntry("optimizer_state_dict/param_groups/0/momentum", 0.9);
        assertThat(tensors(sgd)).containsKey("optimizer_state_dict/state/0/momentum_buffer");
        Map<String, Map<String, Object>> tensorLoss = tensors(describe("checkpoint_sgd_tensor_loss.pth"));
        assertThat(tensorLoss.get("loss").get("shape")).isEqualTo(List.of());
        assertThat(tensorLoss.get("loss").get("requires_grad")).isEqualTo(true);
        Map<String, Object> gan = describe("gan_two_models.pth");
        assertThat(values(gan)).containsEntry("optimizerG/param_groups/0/nesterov", true)
                .containsEntry("optimizerD/param_groups/0/betas/0", 0.5)
                .containsEntry("optimizerD/param_groups/0/foreach", null);
        assertThat(tensors(gan)).containsKeys("generator/1.running_mean", "optimizerD/state/0/exp_avg_sq",
                "optimizerD/state/0/step", "optimizerG/state/0/momentum_buffer");
    }

    @Test
    void parametersKeepTheirKindAndRequiresGrad() {
        Map<String, Map<String, Object>> params = tensors(describeExtra("parameters.pth"));
        assertThat(params.get("weight")).containsEntry("is_parameter", true).containsEntry("requires_grad", true);
        assertThat(params.get("frozen")).containsEntry("is_parameter", true).containsEntry("requires_grad", false);
        assertThat(params.get("requires_grad_tensor")).containsEntry("is_parameter", false).containsEntry("requires_grad", true);
        assertThat(params.get("plain")).containsEntry("is_parameter", false).containsEntry("requires_grad", false);
        assertThat(params.get("parameter_sharing_plain").get("storage_group")).isEqualTo(params.get("plain").get("storage_group"));
        assertThat(params.get("parameter_list/1")).containsEntry("is_parameter", true);
    }

    @Test
    void cudaTaggedFilesNameCudaForEveryStorage() throws IOException {
        String pickle = new String(dataPkl(PyTorch.corpusFile("cuda_tagged.pth")), StandardCharsets.ISO_8859_1);
        assertThat(pickle).contains("cuda:0").doesNotContain("cpu");
        String legacy = Files.readString(PyTorch.corpusFile("cuda_tagged_legacy.pth"), StandardCharsets.ISO_8859_1);
        assertThat(legacy).contains("cuda:0");
        String cpu = new String(dataPkl(PyTorch.corpusFile("cifar_net_state_dict.pth")), StandardCharsets.ISO_8859_1);
        assertThat(cpu).contains("cpu").doesNotContain("cuda");
        assertThat(describe("cuda_tagged.pth").get("tensors")).isEqualTo(describe("cifar_net_state_dict.pth").get("tensors"));
    }

    @Test
    void legacyFilesAreDescribedAsLegacy() {
        Map<String, Object> legacy = describeExtra("legacy_format.pth");
        assertThat(legacy.get("format")).isEqualTo("torch-legacy");
        assertThat(tensors(legacy)).containsKeys("state_dict/conv1.weight", "views/expanded", "dtypes/bfloat16_scalar", "parameter");
        assertThat(tensors(legacy).get("views/row").get("storage_group")).isEqualTo(tensors(legacy).get("views/base").get("storage_group"));
        assertThat(values(legacy)).containsEntry("values/big", BigInteger.TWO.pow(80));
        assertThat(tensors(describe("legacy_state_dict.pth"))).isEqualTo(tensors(describe("cifar_net_state_dict.pth")));
    }

    @Test
    void stateDictsLoadWithWeightsOnly() {
        List<Path> stateDicts = new ArrayList<>();
        for (Object e : Json.asArray(PyTorch.corpusManifest().get("files"))) {
            Map<String, Object> entry = Json.asObject(e);
            if (Boolean.TRUE.equals(entry.get("pure_state_dict"))) {
                assertThat(entry.get("weights_only")).as((String) entry.get("file")).isEqualTo(true);
                stateDicts.add(PyTorch.corpusFile((String) entry.get("file")));
            }
        }
        assertThat(stateDicts).hasSizeGreaterThanOrEqualTo(7);
        assertThat(PyTorch.checkLoadAll(stateDicts, true)).hasSize(stateDicts.size()).allSatisfy((file, result) ->
                assertThat(result).as(file.toString()).isEqualTo("ok"));
    }

    @Test
    void checkLoadReportsFailure(@TempDir Path dir) throws IOException {
        Path notTorch = Files.writeString(dir.resolve("not_torch.pth"), "hello");
        ScriptRun load = PyTorch.checkLoad(notTorch, false);
        assertThat(load.ok()).isFalse();
        assertThat(load.stderr()).startsWith("error: ");
        Path checkpoint = PyTorch.corpusFile("checkpoint_sgd.pth");
        Map<Path, String> both = PyTorch.checkLoadAll(List.of(notTorch, checkpoint), false);
        assertThat(both.get(notTorch)).startsWith("error: ");
        assertThat(both.get(checkpoint)).isEqualTo("ok");
        // torch 1.13's weights_only unpickler has no BINFLOAT, so a checkpoint with float hyperparameters fails
        assertThat(PyTorch.checkLoad(checkpoint, true).ok()).isEqualTo(entry("checkpoint_sgd.pth").get("weights_only"));
    }

    @Test
    void failsWithWhatToInstallWhenTorchIsMissing(@TempDir Path dir) throws IOException {
        Path noSite = dir.resolve("python-without-site-packages");
        Files.writeString(noSite, "#!/bin/sh\nexec " + PyTorch.python() + " -S \"$@\"\n");
        noSite.toFile().setExecutable(true);
        String configured = System.getProperty("pith.python");
        try {
            System.setProperty("pith.python", noSite.toString());
            assertThatThrownBy(() -> PyTorch.run("check_load.py", "whatever.pth"))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("No module named 'torch'")
                    .hasMessageContaining("Install python3-torch");
            System.setProperty("pith.python", dir.resolve("no-such-python").toString());
            assertThatThrownBy(PyTorch::requireTorch).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cannot start").hasMessageContaining("Install python3-torch");
        } finally {
            if (configured == null) {
                System.clearProperty("pith.python");
            } else {
                System.setProperty("pith.python", configured);
            }
        }
    }

    @Test
    void describesSafetensorsWithoutTheSafetensorsPackage(@TempDir Path dir) throws IOException {
        byte[] bf16 = {(byte) 0x80, 0x3F, 0x00, (byte) 0xC0};  // bfloat16 1.0, -2.0
        byte[] f32 = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(0.5f).putFloat(-0f).array();
        String header = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]},"
                + "\"a.weight\":{\"dtype\":\"F32\",\"shape\":[2,1],\"data_offsets\":[4,12]}}";
        byte[] head = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer file = ByteBuffer.allocate(8 + head.length + 12).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(head.length).put(head).put(bf16).put(f32);
        Path path = Files.write(dir.resolve("small.safetensors"), file.array());

        Map<String, Object> described = Json.parseObject(PyTorch.describe(path));
        assertThat(described).isEqualTo(Map.of("format", "safetensors", "values", List.of(), "tensors", List.of(
                Map.of("path", "b", "dtype", "bfloat16", "shape", ints(2), "sha256", sha256(bf16), "requires_grad", false),
                Map.of("path", "a.weight", "dtype", "float32", "shape", ints(2, 1), "sha256", sha256(f32), "requires_grad", false))));
        Map<String, Object> extra = Json.parseObject(PyTorch.describeExtra(path));
        assertThat(extra.get("metadata")).isEqualTo(Map.of("format", "pt"));
        assertThat(tensors(extra).get("a.weight")).containsEntry("stride", ints(1, 1)).containsEntry("storage_group", BigInteger.ONE);
    }

    // -----------------------------------------------------------------------------------------

    static Map<String, Object> describe(String name) {
        return Json.parseObject(PyTorch.describe(PyTorch.corpusFile(name)));
    }

    static Map<String, Object> describeExtra(String name) {
        return Json.parseObject(PyTorch.describeExtra(PyTorch.corpusFile(name)));
    }

    static Map<String, Object> entry(String name) {
        return Json.asArray(PyTorch.corpusManifest().get("files")).stream().map(Json::asObject)
                .filter(e -> name.equals(e.get("file"))).findFirst().orElseThrow();
    }

    /** Tensors by path, in order. */
    static Map<String, Map<String, Object>> tensors(Map<String, Object> described) {
        Map<String, Map<String, Object>> byPath = new LinkedHashMap<>();
        for (Object t : Json.asArray(described.get("tensors"))) {
            byPath.put((String) Json.asObject(t).get("path"), Json.asObject(t));
        }
        return byPath;
    }

    /** Leaf values by path, in order. */
    static Map<String, Object> values(Map<String, Object> described) {
        Map<String, Object> byPath = new LinkedHashMap<>();
        for (Object v : Json.asArray(described.get("values"))) {
            byPath.put((String) Json.asObject(v).get("path"), Json.asObject(v).get("value"));
        }
        return byPath;
    }

    static List<BigInteger> ints(long... values) {
        return java.util.Arrays.stream(values).mapToObj(BigInteger::valueOf).toList();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** The {@code <prefix>/data.pkl} record of a torch zip. */
    static byte[] dataPkl(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Set<String> names = new TreeSet<>();
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                names.add(e.getName());
                if (e.getName().endsWith("/data.pkl")) {
                    return zip.getInputStream(e).readAllBytes();
                }
            }
            throw new AssertionError("no data.pkl in " + file + ": " + names);
        }
    }
}
