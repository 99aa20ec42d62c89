package dev.pith.nn;

import dev.pith.ShapeException;
import dev.pith.tensor.DType;
import dev.pith.tensor.Parameter;
import dev.pith.tensor.StateDict;
import dev.pith.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The base of every layer and model, as {@code torch.nn.Module}: it owns parameters, buffers and
 * child modules by name, in registration order, and from them derives everything PyTorch derives
 * (the state dict's keys and {@code _metadata}, {@code named_parameters()}, the printed tree,
 * recursive train/eval).
 *
 * <p>The registry (three ordered maps) is the source of truth. A subclass registers its state in
 * its constructor and may keep fields for readability; {@link #loadStateDict} copies into the
 * existing tensors, so such fields stay valid. Replacing a child ({@link #setChild}) keeps its
 * position, as assigning {@code model.fc = nn.Linear(512, 10)} does in Python.
 *
 * <pre>{@code
 * class Net extends Module {                       // the CIFAR-10 tutorial's network
 *     final Conv2d conv1 = registerModule("conv1", new Conv2d(3, 6, 5));
 *     final MaxPool2d pool = registerModule("pool", new MaxPool2d(2, 2));
 *     final Conv2d conv2 = registerModule("conv2", new Conv2d(6, 16, 5));
 *     final Linear fc1 = registerModule("fc1", new Linear(16 * 5 * 5, 120));
 *     final Linear fc2 = registerModule("fc2", new Linear(120, 84));
 *     final Linear fc3 = registerModule("fc3", new Linear(84, 10));
 *
 *     public Tensor forward(Tensor x) {
 *         x = pool.forward(F.relu(conv1.forward(x)));
 *         x = pool.forward(F.relu(conv2.forward(x)));
 *         x = F.flatten(x, 1, -1);
 *         return fc3.forward(F.relu(fc2.forward(F.relu(fc1.forward(x)))));
 *     }
 * }
 * Net net = new Net();
 * net.stateDict().keySet();     // [conv1.weight, conv1.bias, conv2.weight, ..., fc3.bias]
 * net.loadStateDict(StateDict.of(Torch.load(path)));
 * net.eval();
 * }</pre>
 *
 * <p>Not thread-safe: build, load and switch modes from one thread.
 */
public abstract class Module {
    private final LinkedHashMap<String, Parameter> parameters = new LinkedHashMap<>();
    private final LinkedHashMap<String, Tensor> buffers = new LinkedHashMap<>();
    private final Set<String> nonPersistentBuffers = new HashSet<>();
    private final LinkedHashMap<String, Module> modules = new LinkedHashMap<>();
    private boolean training = true;

    protected Module() {
    }

    /** Computes this module's output for {@code input}, as {@code forward} (Python's {@code module(x)}). */
    public abstract Tensor forward(Tensor input);

    // ---- registration -------------------------------------------------------------------------

    /**
     * Adds (or replaces, in place) a parameter, as {@code register_parameter}. {@code null}
     * registers the name as {@code None}: it is then absent from the state dict, and a state dict
     * key for it is unexpected.
     *
     * @return {@code param}
     * @throws IllegalArgumentException if the name is empty, contains a dot, or names a buffer or child
     */
    protected final Parameter registerParameter(String name, Parameter param) {
        checkName("parameter", name);
        if (buffers.containsKey(name) || modules.containsKey(name)) {
            throw new IllegalArgumentException("attribute '" + name + "' already exists");
        }
        parameters.put(name, param);
        return param;
    }

    /** Adds a persistent buffer (part of the state dict), as {@code register_buffer(name, tensor)}. */
    protected final Tensor registerBuffer(String name, Tensor tensor) {
        return registerBuffer(name, tensor, true);
    }

    /**
     * Adds (or replaces, in place) a buffer: state that is not a parameter, such as BatchNorm's
     * {@code running_mean}. Non-persistent buffers are left out of the state dict. {@code null}
     * registers the name as {@code None}.
     *
     * @return {@code tensor}
     * @throws IllegalArgumentException if the name is empty, contains a dot, or names a parameter or child
     */
    protected final Tensor registerBuffer(String name, Tensor tensor, boolean persistent) {
        checkName("buffer", name);
        if (parameters.containsKey(name) || modules.containsKey(name)) {
            throw new IllegalArgumentException("attribute '" + name + "' already exists");
        }
        buffers.put(name, tensor);
        if (persistent) {
            nonPersistentBuffers.remove(name);
        } else {
            nonPersistentBuffers.add(name);
        }
        return tensor;
    }

    /**
     * Adds (or replaces, keeping its position) a child module, as {@code add_module}; {@code null}
     * registers the name as {@code None}.
     *
     * @return {@code module}
     * @throws IllegalArgumentException if the name is empty, contains a dot, or names a parameter or buffer
     */
    public final <M extends Module> M registerModule(String name, M module) {
        checkName("module", name);
        if (parameters.containsKey(name) || buffers.containsKey(name)) {
            throw new IllegalArgumentException("attribute '" + name + "' already exists");
        }
        modules.put(name, module);
        return module;
    }

    /** Alias of {@link #registerModule}, as {@code add_module}. */
    public final <M extends Module> M addModule(String name, M module) {
        return registerModule(name, module);
    }

    /**
     * Sets the child {@code name}, as Python's attribute assignment {@code model.fc = nn.Linear(512, 10)}:
     * an existing child is replaced at its position; a parameter or buffer of that name is removed
     * first; a new name is appended.
     *
     * <pre>{@code
     * model.setChild("fc", new Linear(512, 10));    // a new head for fine-tuning
     * }</pre>
     *
     * @return {@code module}
     */
    public final <M extends Module> M setChild(String name, M module) {
        checkName("module", name);
        parameters.remove(name);
        buffers.remove(name);
        nonPersistentBuffers.remove(name);
        modules.put(name, module);
        return module;
    }

    private static void checkName(String kind, String name) {
        if (name == null) {
            throw new IllegalArgumentException(kind + " name should be a string. Got None");
        }
        if (name.contains(".")) {
            throw new IllegalArgumentException(kind + " name can't contain \".\", got: " + name);
        }
        if (name.isEmpty()) {
            throw new IllegalArgumentException(kind + " name can't be empty string \"\"");
        }
    }

    // ---- access ---------------------------------------------------------------------------------

    /** This module's own parameter {@code name}, or null when registered as None. */
    protected final Parameter param(String name) {
        if (!parameters.containsKey(name)) {
            throw new IllegalArgumentException("'" + typeName() + "' object has no parameter '" + name + "'");
        }
        return parameters.get(name);
    }

    /** This module's own buffer {@code name}, or null when registered as None. */
    protected final Tensor buffer(String name) {
        if (!buffers.containsKey(name)) {
            throw new IllegalArgumentException("'" + typeName() + "' object has no buffer '" + name + "'");
        }
        return buffers.get(name);
    }

    /**
     * The direct child {@code name} ({@code null} if it was registered as None).
     *
     * @throws IllegalArgumentException if there is no child of that name
     */
    public final Module getChild(String name) {
        if (!modules.containsKey(name)) {
            throw new IllegalArgumentException("'" + typeName() + "' object has no attribute '" + name + "'");
        }
        return modules.get(name);
    }

    /** The direct child {@code name} as a {@code type}, e.g. {@code model.child("fc", Linear.class)}. */
    public final <T extends Module> T child(String name, Class<T> type) {
        Module m = getChild(name);
        if (!type.isInstance(m)) {
            throw new IllegalArgumentException("child '" + name + "' is " + (m == null ? "None" : m.typeName())
                    + ", not " + type.getSimpleName());
        }
        return type.cast(m);
    }

    /** The names of all registered children, None ones included, in order. */
    public final List<String> childNames() {
        return List.copyOf(modules.keySet());
    }

    /** True when a child of this name is registered (possibly as None). */
    public final boolean hasChild(String name) {
        return modules.containsKey(name);
    }

    /**
     * The sub-module at a dotted path, as {@code get_submodule("layer1.0.conv1")}; {@code ""} is
     * this module.
     *
     * @throws IllegalArgumentException with PyTorch's wording when a step does not exist
     */
    public final Module getSubmodule(String target) {
        if (target.isEmpty()) {
            return this;
        }
        Module mod = this;
        for (String item : target.split("\\.", -1)) {
            boolean isAttr = mod.modules.containsKey(item) || mod.parameters.containsKey(item)
                    || mod.buffers.containsKey(item);
            if (!isAttr) {
                throw new IllegalArgumentException(mod.typeName() + " has no attribute `" + item + "`");
            }
            Module next = mod.modules.get(item);
            if (next == null) {
                throw new IllegalArgumentException("`" + item + "` is not an nn.Module");
            }
            mod = next;
        }
        return mod;
    }

    /** The parameter at a dotted path, as {@code get_parameter("layer1.0.conv1.weight")}. */
    public final Parameter getParameter(String target) {
        int dot = target.lastIndexOf('.');
        Module mod = getSubmodule(dot < 0 ? "" : target.substring(0, dot));
        String name = target.substring(dot + 1);
        if (!mod.parameters.containsKey(name) && !mod.buffers.containsKey(name) && !mod.modules.containsKey(name)) {
            throw new IllegalArgumentException(mod.typeName() + " has no attribute `" + name + "`");
        }
        Parameter p = mod.parameters.get(name);
        if (p == null) {
            throw new IllegalArgumentException("`" + name + "` is not an nn.Parameter");
        }
        return p;
    }

    /** The buffer at a dotted path, as {@code get_buffer("bn1.running_mean")}. */
    public final Tensor getBuffer(String target) {
        int dot = target.lastIndexOf('.');
        Module mod = getSubmodule(dot < 0 ? "" : target.substring(0, dot));
        String name = target.substring(dot + 1);
        if (!mod.parameters.containsKey(name) && !mod.buffers.containsKey(name) && !mod.modules.containsKey(name)) {
            throw new IllegalArgumentException(mod.typeName() + " has no attribute `" + name + "`");
        }
        if (!mod.buffers.containsKey(name)) {
            throw new IllegalArgumentException("`" + name + "` is not a buffer");
        }
        return mod.buffers.get(name);
    }

    /**
     * This module's own parameters as registered, in order, {@code None} ones as {@code null} values
     * (PyTorch's {@code module._parameters}); a read-only view. Whole-model files pickle exactly this.
     */
    public final SequencedMap<String, Parameter> localParameters() {
        return Collections.unmodifiableSequencedMap(parameters);
    }

    /** This module's own buffers as registered, {@code None} ones as {@code null} ({@code module._buffers}); read-only. */
    public final SequencedMap<String, Tensor> localBuffers() {
        return Collections.unmodifiableSequencedMap(buffers);
    }

    /** The names of this module's buffers left out of the state dict ({@code _non_persistent_buffers_set}). */
    public final Set<String> nonPersistentBufferNames() {
        return Collections.unmodifiableSet(nonPersistentBuffers);
    }

    // ---- iteration ------------------------------------------------------------------------------

    /** Parameters of this module and all descendants, by dotted name, each object once. */
    public final SequencedMap<String, Parameter> namedParameters() {
        return namedParameters("", true);
    }

    /** As {@code named_parameters(prefix, recurse)}: {@code recurse=false} gives only this module's own. */
    public final SequencedMap<String, Parameter> namedParameters(String prefix, boolean recurse) {
        return namedMembers(m -> m.parameters, prefix, recurse);
    }

    /** The parameters of {@link #namedParameters()}, in order (what an optimizer takes). */
    public final List<Parameter> parameters() {
        return List.copyOf(namedParameters().values());
    }

    /** Buffers (persistent or not) of this module and all descendants, by dotted name. */
    public final SequencedMap<String, Tensor> namedBuffers() {
        return namedBuffers("", true);
    }

    /** As {@code named_buffers(prefix, recurse)}. */
    public final SequencedMap<String, Tensor> namedBuffers(String prefix, boolean recurse) {
        return namedMembers(m -> m.buffers, prefix, recurse);
    }

    /** The buffers of {@link #namedBuffers()}, in order. */
    public final List<Tensor> buffers() {
        return List.copyOf(namedBuffers().values());
    }

    /** The direct children by name, skipping None and repeated objects. */
    public final SequencedMap<String, Module> namedChildren() {
        LinkedHashMap<String, Module> out = new LinkedHashMap<>();
        Set<Module> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        modules.forEach((name, m) -> {
            if (m != null && seen.add(m)) {
                out.put(name, m);
            }
        });
        return Collections.unmodifiableSequencedMap(out);
    }

    /** The direct children, in order. */
    public final List<Module> children() {
        return List.copyOf(namedChildren().values());
    }

    /** This module ({@code ""}) and every descendant, pre-order, by dotted name, each object once. */
    public final SequencedMap<String, Module> namedModules() {
        return namedModules("");
    }

    /** As {@code named_modules(prefix=prefix)}. */
    public final SequencedMap<String, Module> namedModules(String prefix) {
        LinkedHashMap<String, Module> out = new LinkedHashMap<>();
        collectModules(Collections.newSetFromMap(new IdentityHashMap<>()), prefix, out);
        return Collections.unmodifiableSequencedMap(out);
    }

    /** This module and every descendant, pre-order. */
    public final List<Module> modules() {
        return List.copyOf(namedModules().values());
    }

    private void collectModules(Set<Module> memo, String prefix, Map<String, Module> out) {
        if (!memo.add(this)) {
            return;
        }
        out.put(prefix, this);
        modules.forEach((name, m) -> {
            if (m != null) {
                m.collectModules(memo, prefix.isEmpty() ? name : prefix + "." + name, out);
            }
        });
    }

    private <T extends Tensor> SequencedMap<String, T> namedMembers(
            java.util.function.Function<Module, Map<String, T>> members, String prefix, boolean recurse) {
        LinkedHashMap<String, T> out = new LinkedHashMap<>();
        Set<Tensor> memo = Collections.newSetFromMap(new IdentityHashMap<>());
        Map<String, Module> mods = recurse ? namedModules(prefix) : Map.of(prefix, this);
        mods.forEach((modulePrefix, m) -> members.apply(m).forEach((k, v) -> {
            if (v != null && memo.add(v)) {
                out.put(modulePrefix.isEmpty() ? k : modulePrefix + "." + k, v);
            }
        }));
        return Collections.unmodifiableSequencedMap(out);
    }

    // ---- modes ------------------------------------------------------------------------------------

    /** Training mode for this module and all descendants (Dropout drops, BatchNorm uses batch statistics). */
    public Module train() {
        return train(true);
    }

    /** Sets training ({@code true}) or evaluation mode, recursively, as {@code train(mode)}. */
    public Module train(boolean mode) {
        training = mode;
        for (Module m : children()) {
            m.train(mode);
        }
        return this;
    }

    /** Evaluation mode, recursively, as {@code eval()}: same as {@code train(false)}. */
    public Module eval() {
        return train(false);
    }

    /** Whether this module is in training mode (PyTorch's {@code self.training}). */
    public final boolean isTraining() {
        return training;
    }

    /**
     * Sets {@code requires_grad} on every parameter of this module and its descendants, as
     * {@code requires_grad_}: {@code model.features().requiresGrad(false)} freezes a backbone.
     */
    public Module requiresGrad(boolean requiresGrad) {
        for (Parameter p : parameters()) {
            p.requiresGrad(requiresGrad);
        }
        return this;
    }

    /**
     * Resets the gradient of every parameter, as PyTorch 1.13's {@code zero_grad()}
     * ({@code set_to_none=False}): each existing gradient is zeroed in place.
     *
     * <pre>{@code
     * model.zeroGrad();
     * F.crossEntropy(model.forward(x), y).backward();
     * optimizer.step();
     * }</pre>
     */
    public void zeroGrad() {
        zeroGrad(false);
    }

    /**
     * Resets the gradient of every parameter, as {@code zero_grad(set_to_none)}: with
     * {@code setToNone} each gradient becomes {@code null} (the next backward pass sets a fresh one,
     * and an optimizer skips a parameter without one); otherwise it is zeroed in place.
     */
    public void zeroGrad(boolean setToNone) {
        for (Parameter p : parameters()) {
            Tensor grad = p.grad();
            if (grad == null) {
                continue;
            }
            if (setToNone) {
                p.setGrad(null);
            } else {
                grad.requiresGrad(false);
                if (grad.isContiguous()) {
                    long es = grad.dtype().elementSize();
                    grad.storage().segment().asSlice(grad.storageOffset() * es, grad.nbytes()).fill((byte) 0);
                } else {
                    Init.zeros_(grad);
                }
            }
        }
    }

    /**
     * Calls {@code fn} on every descendant, children first, then on this module, as
     * {@code apply(fn)}; the usual way to initialise weights.
     *
     * <pre>{@code
     * model.apply(m -> { if (m instanceof Linear l) { Init.xavierUniform_(l.weight(), 1.0); Init.zeros_(l.bias()); } });
     * }</pre>
     */
    public Module apply(Consumer<Module> fn) {
        for (Module m : children()) {
            m.apply(fn);
        }
        fn.accept(this);
        return this;
    }

    // ---- state dict ---------------------------------------------------------------------------------

    /**
     * The version of this module's state-dict layout, saved in {@code _metadata} ({@code _version}
     * in PyTorch): 1, or 2 for BatchNorm.
     */
    protected int version() {
        return 1;
    }

    /**
     * The whole state as {@code state_dict()}: parameters then persistent buffers of each module,
     * modules pre-order, keys dotted paths; values are detached views sharing the module's storage;
     * {@code _metadata} holds {@code {"version": n}} for every module prefix.
     */
    public final StateDict stateDict() {
        return stateDict("", false);
    }

    /**
     * As {@code state_dict(prefix=prefix, keep_vars=keepVars)}; with {@code keepVars} the values are
     * the registered objects themselves (Parameters included) rather than detached views.
     */
    public final StateDict stateDict(String prefix, boolean keepVars) {
        StateDict destination = new StateDict();
        LinkedHashMap<String, Map<String, Object>> metadata = new LinkedHashMap<>();
        destination.metadata(metadata);
        saveTo(destination, metadata, prefix, keepVars);
        return destination;
    }

    private void saveTo(StateDict destination, Map<String, Map<String, Object>> metadata, String prefix,
                        boolean keepVars) {
        Map<String, Object> local = new LinkedHashMap<>();
        local.put("version", (long) version());
        metadata.put(prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1), local);
        parameters.forEach((name, p) -> {
            if (p != null) {
                destination.put(prefix + name, keepVars ? p : p.detach());
            }
        });
        buffers.forEach((name, b) -> {
            if (b != null && !nonPersistentBuffers.contains(name)) {
                destination.put(prefix + name, keepVars ? b : b.detach());
            }
        });
        modules.forEach((name, m) -> {
            if (m != null) {
                m.saveTo(destination, metadata, prefix + name + ".", keepVars);
            }
        });
    }

    /** {@link #loadStateDict(Map, boolean)} with {@code strict = true}. */
    public final IncompatibleKeys loadStateDict(Map<String, ? extends Tensor> stateDict) {
        return loadStateDict(stateDict, true);
    }

    /**
     * Copies parameters and buffers from {@code stateDict} into this module and its descendants, as
     * {@code load_state_dict(state_dict, strict)}. Values are copied into the existing tensors
     * (converted to their dtype); a 1-element, 1-dim value fills a 0-dim tensor. When the argument
     * is a {@link StateDict} with {@code _metadata}, versioned modules use it (BatchNorm saved
     * before version 2 lacks {@code num_batches_tracked}, which is then set to 0).
     *
     * <p>Every problem is collected first and reported in one exception, as PyTorch does.
     *
     * @return the missing and unexpected keys (empty lists when all matched)
     * @throws StateDictMismatchException with {@code strict} if keys are missing or unexpected, and
     *                                    always if a tensor's shape differs or a copy fails
     */
    public final IncompatibleKeys loadStateDict(Map<String, ? extends Tensor> stateDict, boolean strict) {
        Map<String, Map<String, Object>> metadata = stateDict instanceof StateDict sd
                ? sd.metadata().<Map<String, Map<String, Object>>>map(m -> m).orElse(null) : null;
        LoadingReport report = new LoadingReport();
        loadRecursive(new LinkedHashMap<>(stateDict), "", metadata, report);
        List<String> errors = new ArrayList<>(report.errors);
        if (strict) {
            if (!report.unexpectedKeys.isEmpty()) {
                errors.addFirst("Unexpected key(s) in state_dict: " + quoted(report.unexpectedKeys) + ". ");
            }
            if (!report.missingKeys.isEmpty()) {
                errors.addFirst("Missing key(s) in state_dict: " + quoted(report.missingKeys) + ". ");
            }
        }
        if (!errors.isEmpty()) {
            throw new StateDictMismatchException(typeName(), report.missingKeys, report.unexpectedKeys,
                    report.sizeMismatches, errors);
        }
        return new IncompatibleKeys(report.missingKeys, report.unexpectedKeys);
    }

    private static String quoted(List<String> keys) {
        StringBuilder s = new StringBuilder();
        for (String k : keys) {
            s.append(s.isEmpty() ? "" : ", ").append('"').append(k).append('"');
        }
        return s.toString();
    }

    private void loadRecursive(Map<String, Tensor> local, String prefix, Map<String, Map<String, Object>> metadata,
                               LoadingReport report) {
        Map<String, Object> localMetadata = metadata == null ? Map.of()
                : metadata.getOrDefault(prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1), Map.of());
        loadFromStateDict(local, prefix, localMetadata, report);
        modules.forEach((name, child) -> {
            if (child != null) {
                String childPrefix = prefix + name + ".";
                Map<String, Tensor> childState = new LinkedHashMap<>();
                local.forEach((k, v) -> {
                    if (k.startsWith(childPrefix)) {
                        childState.put(k, v);
                    }
                });
                child.loadRecursive(childState, childPrefix, metadata, report);
            }
        });
    }

    /** The keys, messages and mismatches that one {@link #loadStateDict} call collects. */
    protected static final class LoadingReport {
        private final List<String> missingKeys = new ArrayList<>();
        private final List<String> unexpectedKeys = new ArrayList<>();
        private final List<String> errors = new ArrayList<>();
        private final List<StateDictMismatchException.SizeMismatch> sizeMismatches = new ArrayList<>();

        private LoadingReport() {
        }

        /** Records a key the model has and the state dict lacks. */
        public void missing(String key) {
            missingKeys.add(key);
        }

        /** Records a key of the state dict the model has no place for. */
        public void unexpected(String key) {
            unexpectedKeys.add(key);
        }

        /** Records an error line of the final message. */
        public void error(String message) {
            errors.add(message);
        }

        void sizeMismatch(StateDictMismatchException.SizeMismatch mismatch) {
            sizeMismatches.add(mismatch);
            errors.add(mismatch.message());
        }
    }

    /**
     * Loads this module's own parameters and persistent buffers from the entries of
     * {@code stateDict} under {@code prefix}, as {@code _load_from_state_dict}; descendants are
     * loaded by their own calls. A subclass with an older layout to accept overrides this, may
     * change {@code stateDict} (it is a private copy), and calls {@code super}.
     *
     * @param localMetadata this module's {@code _metadata} entry ({@code {"version": n}}), empty when absent
     */
    protected void loadFromStateDict(Map<String, Tensor> stateDict, String prefix, Map<String, Object> localMetadata,
                                     LoadingReport report) {
        Map<String, Tensor> localState = new LinkedHashMap<>();
        parameters.forEach((name, p) -> {
            if (p != null) {
                localState.put(name, p);
            }
        });
        buffers.forEach((name, b) -> {
            if (b != null && !nonPersistentBuffers.contains(name)) {
                localState.put(name, b);
            }
        });
        localState.forEach((name, param) -> {
            String key = prefix + name;
            if (!stateDict.containsKey(key)) {
                report.missing(key);
                return;
            }
            Tensor input = stateDict.get(key);
            if (input == null) {
                report.error("While copying the parameter named \"" + key + "\", expected torch.Tensor or "
                        + "Tensor-like object from checkpoint but received <class 'NoneType'>");
                return;
            }
            if (param.dim() == 0 && input.dim() == 1) {
                input = input.select(0, 0);
            }
            if (!Arrays.equals(input.shape(), param.shape())) {
                report.sizeMismatch(new StateDictMismatchException.SizeMismatch(key, input.shape(), param.shape()));
                return;
            }
            try {
                param.copyFrom(input);
            } catch (RuntimeException ex) {
                report.error("While copying the parameter named \"" + key + "\", whose dimensions in the model are "
                        + PyRepr.torchSize(param.shape()) + " and whose dimensions in the checkpoint are "
                        + PyRepr.torchSize(input.shape()) + ", an exception occurred : ("
                        + PyRepr.pyString(String.valueOf(ex.getMessage())) + ",).");
            }
        });
        String extraStateKey = prefix + "_extra_state";
        if (stateDict.containsKey(extraStateKey)) {
            report.unexpected(extraStateKey);
        }
        for (String key : stateDict.keySet()) {
            if (key.startsWith(prefix) && !key.equals(extraStateKey)) {
                String inputName = key.substring(prefix.length());
                int dot = inputName.indexOf('.');
                if (dot >= 0) {
                    inputName = inputName.substring(0, dot);
                }
                if (!modules.containsKey(inputName) && !localState.containsKey(inputName)) {
                    report.unexpected(key);
                }
            }
        }
    }

    /** A new int64 0-dim tensor holding {@code value} (BatchNorm's {@code num_batches_tracked}). */
    static Tensor longScalar(long value) {
        Tensor t = Tensor.zeros(DType.INT64);
        DType.INT64.writeLong(t.storage().segment(), 0, value);
        return t;
    }

    // ---- printing -----------------------------------------------------------------------------------

    /** The name printed for this module and used in load errors: the class's simple name. */
    protected String typeName() {
        String simple = getClass().getSimpleName();
        if (!simple.isEmpty()) {
            return simple;
        }
        String name = getClass().getName();
        return name.substring(name.lastIndexOf('.') + 1);
    }

    /**
     * This layer's settings as printed inside its parentheses, as {@code extra_repr}
     * ({@code "in_features=512, out_features=10, bias=True"}); empty by default.
     */
    protected String extraRepr() {
        return "";
    }

    /** The module tree exactly as PyTorch's {@code print(model)}. */
    @Override
    public String toString() {
        List<String> extraLines = new ArrayList<>();
        String extra = extraRepr();
        if (!extra.isEmpty()) {
            extraLines.addAll(Arrays.asList(extra.split("\n", -1)));
        }
        List<String> childLines = new ArrayList<>();
        modules.forEach((key, m) -> childLines.add("(" + key + "): " + addIndent(String.valueOf(m == null ? "None" : m), 2)));
        List<String> lines = new ArrayList<>(extraLines);
        lines.addAll(childLines);
        StringBuilder main = new StringBuilder(typeName()).append('(');
        if (!lines.isEmpty()) {
            if (extraLines.size() == 1 && childLines.isEmpty()) {
                main.append(extraLines.getFirst());
            } else {
                main.append("\n  ").append(String.join("\n  ", lines)).append('\n');
            }
        }
        return main.append(')').toString();
    }

    private static String addIndent(String s, int spaces) {
        String[] parts = s.split("\n", -1);
        if (parts.length == 1) {
            return s;
        }
        String pad = " ".repeat(spaces);
        StringBuilder out = new StringBuilder(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            out.append('\n').append(pad).append(parts[i]);
        }
        return out.toString();
    }

    /** Throws PyTorch's error for an input of the wrong rank. */
    static ShapeException wrongRank(String expected, Tensor input) {
        return new ShapeException("expected " + expected + " input (got " + input.dim() + "D input)");
    }
}
