package dev.pith.cli;

import dev.pith.io.pickle.PyGlobal;
import dev.pith.io.pickle.PyObject;
import dev.pith.io.pickle.PyOrderedDict;
import dev.pith.io.pickle.PyTuple;
import dev.pith.tensor.StateDict;
import dev.pith.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ValueTreeTest {
    /** Records every visit as "T path" / "V path = repr". */
    static List<String> visits(Object root) {
        List<String> seen = new ArrayList<>();
        ValueTree.walk(root, new ValueTree.Visitor() {
            @Override
            public void tensor(String path, Tensor tensor) {
                seen.add("T " + path);
            }

            @Override
            public void value(String path, Object leaf) {
                seen.add("V " + path + " = " + (leaf instanceof PyObject o ? "<" + o.type() + ">" : PythonRepr.repr(leaf)));
            }
        });
        return seen;
    }

    @Test
    void aBareTensorHasTheEmptyPath() {
        assertThat(visits(Tensor.zeros(dev.pith.tensor.DType.FLOAT32, 2))).containsExactly("T ");
        assertThat(visits(5L)).containsExactly("V  = 5");
    }

    @Test
    void nestedCheckpointPathsInIterationOrder() {
        StateDict model = new StateDict();
        model.put("fc.weight", Tensor.zeros(dev.pith.tensor.DType.FLOAT32, 2, 2));
        model.put("fc.bias", Tensor.zeros(dev.pith.tensor.DType.FLOAT32, 2));
        PyOrderedDict state = new PyOrderedDict();
        state.put(0L, Map.of("step", 10L));
        Map<String, Object> group = new LinkedHashMap<>();
        group.put("lr", 0.01);
        group.put("betas", PyTuple.of(0.9, 0.999));
        group.put("params", List.of(0L, 1L));
        Map<String, Object> optimizer = new LinkedHashMap<>();
        optimizer.put("state", state);
        optimizer.put("param_groups", List.of(group));
        Map<String, Object> checkpoint = new LinkedHashMap<>();
        checkpoint.put("epoch", 3L);
        checkpoint.put("model_state_dict", model);
        checkpoint.put("optimizer_state_dict", optimizer);
        checkpoint.put("empty", Map.of());
        checkpoint.put("none", null);
        assertThat(visits(checkpoint)).containsExactly(
                "V epoch = 3",
                "T model_state_dict/fc.weight",
                "T model_state_dict/fc.bias",
                "V optimizer_state_dict/state/0/step = 10",
                "V optimizer_state_dict/param_groups/0/lr = 0.01",
                "V optimizer_state_dict/param_groups/0/betas/0 = 0.9",
                "V optimizer_state_dict/param_groups/0/betas/1 = 0.999",
                "V optimizer_state_dict/param_groups/0/params/0 = 0",
                "V optimizer_state_dict/param_groups/0/params/1 = 1",
                "V none = None");
    }

    @Test
    void mapKeysOfAnyTypeBecomeTheirPythonStr() {
        Map<Object, Object> m = new LinkedHashMap<>();
        m.put(7L, 1L);
        m.put(true, 2L);
        m.put(null, 3L);
        m.put(PyTuple.of(1L, "a"), 4L);
        m.put(2.5, 5L);
        assertThat(visits(m)).containsExactly("V 7 = 1", "V True = 2", "V None = 3", "V (1, 'a') = 4", "V 2.5 = 5");
    }

    @Test
    void setsAreWalkedAsLists() {
        assertThat(visits(Map.of("s", new LinkedHashSet<>(List.of("b", "a"))))).containsExactly("V s/0 = 'b'", "V s/1 = 'a'");
    }

    @Test
    void pickledObjectsReportTheirClassAndWalkTheirState() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("weight", Tensor.zeros(dev.pith.tensor.DType.FLOAT32, 1));
        Map<String, Object> dict = new LinkedHashMap<>();
        dict.put("training", true);
        dict.put("_parameters", new PyOrderedDict(params));
        PyObject linear = new PyObject(new PyGlobal("torch.nn.modules.linear", "Linear"), List.of(), dict);
        PyObject leafState = new PyObject(new PyGlobal("m", "C"), List.of(), "s");
        assertThat(visits(Map.of("model", linear))).containsExactly(
                "V model = <torch.nn.modules.linear.Linear>", "V model/training = True", "T model/_parameters/weight");
        assertThat(visits(leafState)).containsExactly("V  = <m.C>", "V __state__ = 's'");
    }

    @Test
    void recursiveContainersAreCutWhereTheyRecur() {
        List<Object> self = new ArrayList<>();
        self.add(1L);
        self.add(self);
        assertThat(visits(self)).containsExactly("V 0 = 1", "V 1 = '" + ValueTree.RECURSIVE + "'");
        // the same (non-recursive) object twice is walked twice
        List<Object> shared = List.of(2L);
        assertThat(visits(Arrays.asList(shared, shared))).containsExactly("V 0/0 = 2", "V 1/0 = 2");
    }

    @Test
    void findByPath() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("w", 1L);
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("a", inner);
        root.put("list", List.of("x", PyTuple.of("y", Map.of())));
        root.put("none", null);
        assertThat(ValueTree.find(root, "")).containsSame(root);
        assertThat(ValueTree.find(root, "a")).containsSame(inner);
        assertThat(ValueTree.find(root, "a/w")).contains(1L);
        assertThat(ValueTree.find(root, "list/1/0")).contains("y");
        assertThat(ValueTree.find(root, "list/1/1")).contains(Map.of());
        assertThat(ValueTree.find(root, "list/2")).isEmpty();
        assertThat(ValueTree.find(root, "b")).isEmpty();
        assertThat(ValueTree.find(root, "none")).isEmpty();
        // keys holding '/' are found by their full path
        Map<String, Object> slashy = Map.of("x/y", 5L);
        assertThat(ValueTree.find(slashy, "x/y")).contains(5L);
    }
}
