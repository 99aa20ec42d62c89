package dev.pith.onnx;

import dev.pith.tensor.Tensor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;

/**
 * The ONNX graph being built: nodes in topological order, initializers (the module's parameters and
 * buffers under their state-dict keys, and the small constants the mappings need), the graph input
 * {@value #INPUT} and output {@value #OUTPUT}. Value names made here start with {@code /} so that
 * they never meet a state-dict key.
 */
final class OnnxGraph {
    /** The name of the graph's input. */
    static final String INPUT = "input";
    /** The name of the graph's output. */
    static final String OUTPUT = "output";
    /** The symbolic size of the input's first axis. */
    static final String BATCH = "batch";

    private final List<OnnxNode> nodes = new ArrayList<>();
    private final SequencedMap<String, Tensor> initializers = new LinkedHashMap<>();
    private final Map<String, Integer> counters = new HashMap<>();
    private final Tensor input;
    private Tensor output;

    OnnxGraph(Tensor input) {
        this.input = input;
    }

    /** Adds a node with one output and returns the output's (new) name. */
    String node(String opType, Attrs attrs, String doc, List<String> inputs) {
        String name = fresh(opType);
        nodes.add(new OnnxNode(opType, List.copyOf(inputs), List.of(name), name, doc, attrs.list()));
        return name;
    }

    /** Makes {@code tensor} the initializer {@code name} (once; later calls with the same name do nothing). */
    String initializer(String name, Tensor tensor) {
        initializers.putIfAbsent(name, tensor);
        return name;
    }

    /** Adds {@code tensor} as a new constant initializer and returns its name. */
    String constant(Tensor tensor) {
        return initializer(fresh("Constant"), tensor);
    }

    /**
     * Makes {@code name} (the value holding the traced output {@code tensor}) the graph's output
     * {@value #OUTPUT}: the producing node's output is renamed, or an Identity node is added when
     * the value is the input or an initializer.
     */
    void setOutput(String name, Tensor tensor) {
        this.output = tensor;
        boolean produced = nodes.stream().anyMatch(n -> n.outputs().contains(name));
        if (!produced) {
            nodes.add(new OnnxNode("Identity", List.of(name), List.of(OUTPUT), fresh("Identity"), "", List.of()));
            return;
        }
        nodes.replaceAll(n -> n.rename(name, OUTPUT));
    }

    List<OnnxNode> nodes() {
        return List.copyOf(nodes);
    }

    SequencedMap<String, Tensor> initializers() {
        return initializers;
    }

    Tensor input() {
        return input;
    }

    Tensor output() {
        return output;
    }

    private String fresh(String base) {
        int n = counters.merge(base, 1, Integer::sum) - 1;
        return "/" + base + "_" + n;
    }
}
