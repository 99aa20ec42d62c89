package dev.pith.modelfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pith.FileFormatException;
import dev.pith.UnsafePickleException;
import dev.pith.io.pickle.PyGlobal;
import dev.pith.io.pickle.PyObject;
import dev.pith.io.pickle.PyReduce;
import dev.pith.io.pickle.PyTuple;
import dev.pith.io.torch.Torch;
import dev.pith.models.CifarNet;
import dev.pith.nn.Linear;
import dev.pith.nn.Module;
import dev.pith.nn.ReLU;
import dev.pith.nn.Sequential;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Acceptance 4 of issue 5 and the refusals around it: nothing of a whole-model file is executed;
 * globals that could run code are refused as by the safe loader, classes nobody mapped are refused
 * with their place in the tree, and a registered class must match the file.
 */
class WholeModelSafetyTest {
    @TempDir
    Path dir;

    private final Path marker = Path.of(System.getProperty("java.io.tmpdir"), "pith-whole-model-pwned");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> dictOf(PyObject o) {
        return (Map<String, Object>) o.state();
    }

    private Path write(String name, Object pickled) {
        Path file = dir.resolve(name);
        Torch.save(pickled, file);
        return file;
    }

    @Test
    void aModuleWhoseClassIsOsSystemIsRefusedAsDangerous() {
        PyObject linear = ModelFile.pickled(new Linear(2, 3), ModuleRegistry.create());
        PyObject evil = new PyObject(new PyGlobal("os", "system"), List.of(), linear.state());
        Path file = write("os_system_class.pth", evil);
        assertThatThrownBy(() -> ModelFile.load(file))
                .isInstanceOf(UnsafePickleException.class)
                .hasMessageContaining("os.system")
                .hasMessageContaining("nothing was executed")
                .satisfies(e -> assertThat(((UnsafePickleException) e).knownDangerous()).isTrue());
    }

    @Test
    void aReduceOfPosixSystemInsideAModuleDictIsRefusedAsDangerous() {
        PyObject model = ModelFile.pickled(new Sequential(new Linear(2, 3), new ReLU()), ModuleRegistry.create());
        PyObject first = (PyObject) ((Map<?, ?>) dictOf(model).get("_modules")).get("0");
        dictOf(first).put("payload", new PyReduce(new PyGlobal("posix", "system"),
                PyTuple.of("touch " + marker), null));
        Path file = write("posix_system_reduce.pth", model);
        assertThatThrownBy(() -> ModelFile.load(file))
                .isInstanceOf(UnsafePickleException.class)
                .hasMessageContaining("posix.system")
                .satisfies(e -> assertThat(((UnsafePickleException) e).knownDangerous()).isTrue());
        assertThatThrownBy(() -> ModelFile.read(file)).isInstanceOf(UnsafePickleException.class);
        assertThat(Files.exists(marker)).isFalse();
    }

    @Test
    void callingAnUnknownFunctionIsRefusedEvenWhereClassesAreAdmitted() {
        PyObject model = ModelFile.pickled(new Linear(2, 3), ModuleRegistry.create());
        dictOf(model).put("payload", new PyReduce(new PyGlobal("__main__", "make_payload"), PyTuple.of(), null));
        Path file = write("unknown_reduce.pth", model);
        assertThatThrownBy(() -> ModelFile.load(file))
                .isInstanceOf(UnsafePickleException.class)
                .hasMessageContaining("__main__.make_payload");
    }

    @Test
    void anUnknownChildClassIsNamedWithItsPath() {
        ModuleRegistry registry = ModuleRegistry.create().register("__main__.Net", CifarNet.class, CifarNet::new);
        Path file = dir.resolve("nested.pth");
        ModelFile.save(new Sequential(new ReLU(), new CifarNet()), file, registry);
        assertThatThrownBy(() -> ModelFile.load(file))
                .isInstanceOf(UnknownModuleClassException.class)
                .hasMessageContaining("unknown module class __main__.Net at model.1 (register a Java class for it with ModuleRegistry)");
        Module loaded = ModelFile.load(file, registry);
        assertThat(loaded.getSubmodule("1")).isInstanceOf(CifarNet.class);
    }

    @Test
    void anUnknownObjectAmongTheAttributesIsRefusedToo() {
        PyObject model = ModelFile.pickled(new Sequential(new Linear(2, 3)), ModuleRegistry.create());
        PyObject first = (PyObject) ((Map<?, ?>) dictOf(model).get("_modules")).get("0");
        dictOf(first).put("config", new PyObject(new PyGlobal("__main__", "Config"), List.of(), Map.of("depth", 3L)));
        Path file = write("unknown_attribute.pth", model);
        assertThatThrownBy(() -> ModelFile.load(file))
                .isInstanceOf(UnknownModuleClassException.class)
                .hasMessageContaining("unknown module class __main__.Config at model.0.config");
    }

    @Test
    void aRegisteredClassMustMatchTheFile() {
        ModuleRegistry registry = ModuleRegistry.create().register("__main__.Net", CifarNet.class, () -> new CifarNet(7));
        Path file = dir.resolve("net10.pth");
        ModelFile.save(new CifarNet(10), file, ModuleRegistry.create().register("__main__.Net", CifarNet.class, CifarNet::new));
        assertThatThrownBy(() -> ModelFile.load(file, registry))
                .isInstanceOf(FileFormatException.class)
                .hasMessageContaining("model.fc3")
                .hasMessageContaining("does not match its Java module");
    }

    @Test
    void dangerousOrBuiltInNamesCannotBeRegistered() {
        assertThatThrownBy(() -> ModuleRegistry.create().register("os", "system", CifarNet.class, CifarNet::new))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("could run code");
        assertThatThrownBy(() -> ModuleRegistry.create().register("torch.nn.modules.linear.Linear", Linear.class,
                () -> new Linear(1, 1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aModuleWithoutAPythonClassCannotBeSaved() {
        Module custom = new Module() {
            @Override
            public dev.pith.tensor.Tensor forward(dev.pith.tensor.Tensor input) {
                return input;
            }
        };
        assertThatThrownBy(() -> ModelFile.save(custom, dir.resolve("x.pth")))
                .hasMessageContaining("has no Python class");
        assertThat(dir.resolve("x.pth")).doesNotExist();
    }

    @PythonClass(module = "mypackage.layers", name = "Scale")
    static final class Scale extends Module {
        @Override
        public dev.pith.tensor.Tensor forward(dev.pith.tensor.Tensor input) {
            return input.mul(2);
        }
    }

    @Test
    void anAnnotatedModuleIsSavedUnderItsPythonClass() {
        PyObject pickled = ModelFile.pickled(new Sequential(new Scale()), ModuleRegistry.create());
        PyObject scale = (PyObject) ((Map<?, ?>) dictOf(pickled).get("_modules")).get("0");
        assertThat(scale.type()).isEqualTo(new PyGlobal("mypackage.layers", "Scale"));
        assertThat(dictOf(scale)).containsKeys("training", "_parameters", "_buffers", "_modules");
    }
}
