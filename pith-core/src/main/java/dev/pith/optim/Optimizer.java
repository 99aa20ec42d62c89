package dev.pith.optim;

import dev.pith.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The base of every optimizer, as {@code torch.optim.Optimizer}: parameter groups with their own
 * hyper-parameters, per-parameter state made on the first step a parameter has a gradient, and a
 * state dict in PyTorch's exact layout, so that optimizer checkpoints move both ways between Pith
 * and PyTorch and training resumes bit for bit.
 *
 * <p>{@link #step()} updates every parameter whose {@link Tensor#grad()} is set; a parameter
 * without a gradient (frozen, or unused this step) is skipped and gets no state, as in PyTorch.
 *
 * <pre>{@code
 * SGD opt = new SGD(model.parameters(), SGD.options().lr(0.01).momentum(0.9));
 * for (Batch b : data) {
 *     opt.zeroGrad();
 *     // ... compute gradients into each parameter's grad()
 *     opt.step();
 * }
 * Torch.save(opt.stateDict(), Path.of("opt.pth"));        // opt.state_dict()
 * opt.loadStateDict((Map<?, ?>) Torch.load(Path.of("opt.pth")));
 * }</pre>
 *
 * <p>The state dict is a plain value tree: {@code {"state": {0L: {"momentum_buffer": Tensor}, ...},
 * "param_groups": [{"lr": 0.01, ..., "params": [0L, 1L]}]}}, with Python ints as {@code Long},
 * floats as {@code Double}, tuples as {@code PyTuple} and None as {@code null}. Its tensors are the
 * optimizer's own (not copies), as in PyTorch: save it before the next step changes them.
 *
 * <p>Subclasses implement {@link #update} for one parameter; they read hyper-parameters from the
 * group each time, so changing a group's {@code lr} (as a scheduler does) takes effect at the next
 * step.
 */
public abstract class Optimizer {
    /** The default of a hyper-parameter every group must set itself (SGD's {@code lr}), as PyTorch's {@code required}. */
    protected static final Object REQUIRED = new Object() {
        @Override
        public String toString() {
            return "<required parameter>";
        }
    };

    private final Map<String, Object> defaults;
    private final List<ParamGroup> groups = new ArrayList<>();
    private Map<Object, Map<String, Object>> state = new LinkedHashMap<>();

    /**
     * An optimizer over {@code paramGroups}, each completed from {@code defaults} (an ordered map of
     * every hyper-parameter this optimizer knows, in PyTorch's key order; {@link #REQUIRED} for one
     * without a default).
     *
     * @throws OptimizerException when there are no groups, or a group misses a required value or
     *                            shares a parameter with another group
     */
    protected Optimizer(List<ParamGroup> paramGroups, Map<String, Object> defaults) {
        this.defaults = Collections.unmodifiableMap(new LinkedHashMap<>(defaults));
        if (paramGroups.isEmpty() || paramGroups.stream().allMatch(g -> g == null)) {
            throw new OptimizerException("optimizer got an empty parameter list");
        }
        for (ParamGroup group : paramGroups) {
            addParamGroup(group);
        }
    }

    /**
     * One group of {@code params}, for the constructors that take a plain list of parameters.
     *
     * @throws OptimizerException when {@code params} is empty (PyTorch's message)
     */
    protected static List<ParamGroup> singleGroup(Iterable<? extends Tensor> params) {
        ParamGroup group = ParamGroup.of(params);
        if (group.params().isEmpty()) {
            throw new OptimizerException("optimizer got an empty parameter list");
        }
        return List.of(group);
    }

    /**
     * {@code template} (an optimizer's defaults in PyTorch's key order) with the values set in
     * {@code options}; an option the optimizer does not know is refused, as Python refuses an
     * unexpected keyword argument.
     */
    protected static Map<String, Object> defaultsWith(String optimizer, Map<String, Object> template,
                                                      OptimizerOptions<?> options) {
        Map<String, Object> out = new LinkedHashMap<>(template);
        options.values().forEach((key, value) -> {
            if (!template.containsKey(key)) {
                throw new OptimizerException(optimizer + ".__init__() got an unexpected keyword argument '" + key + "'");
            }
            out.put(key, value);
        });
        return out;
    }

    /**
     * Adds a group of parameters, as {@code add_param_group}: the group's unset hyper-parameters take
     * this optimizer's defaults (appended after the ones it set, as PyTorch orders them).
     *
     * @throws OptimizerException when the group misses a required hyper-parameter, holds a tensor
     *                            that is not float32 or float64, or shares a parameter with a group
     *                            already added
     */
    public void addParamGroup(ParamGroup group) {
        Objects.requireNonNull(group, "group");
        for (Tensor p : group.params()) {
            Precision.of(p.dtype());
        }
        for (Map.Entry<String, Object> d : defaults.entrySet()) {
            if (d.getValue() == REQUIRED && !group.options().containsKey(d.getKey())) {
                throw new OptimizerException("parameter group didn't specify a value of required optimization parameter "
                        + d.getKey());
            }
            group.options().putIfAbsent(d.getKey(), d.getValue());
        }
        Set<Tensor> existing = Collections.newSetFromMap(new IdentityHashMap<>());
        groups.forEach(g -> existing.addAll(g.params()));
        for (Tensor p : group.params()) {
            if (existing.contains(p)) {
                throw new OptimizerException("some parameters appear in more than one parameter group");
            }
        }
        groups.add(group);
    }

    /** The parameter groups, in order ({@code param_groups}); the list is read-only, the groups are live. */
    public List<ParamGroup> paramGroups() {
        return Collections.unmodifiableList(groups);
    }

    /** The hyper-parameter defaults, in PyTorch's key order ({@code defaults}). */
    public Map<String, Object> defaults() {
        return defaults;
    }

    /**
     * The state of {@code param} ({@code state[param]}), read-only; empty when the parameter has
     * had no step yet.
     */
    public Map<String, Object> state(Tensor param) {
        Map<String, Object> s = state.get(param);
        return s == null ? Map.of() : Collections.unmodifiableMap(s);
    }

    /**
     * Performs one optimization step: updates each parameter that has a gradient, group by group.
     */
    public void step() {
        for (ParamGroup group : groups) {
            for (Tensor p : group.params()) {
                Tensor grad = p.grad();
                if (grad != null) {
                    update(group, p, grad, state.computeIfAbsent(p, k -> new LinkedHashMap<>()));
                }
            }
        }
    }

    /**
     * Updates {@code param} in place from {@code grad} with {@code group}'s hyper-parameters; {@code state}
     * is the parameter's state (empty on its first step), to read and fill.
     */
    protected abstract void update(ParamGroup group, Tensor param, Tensor grad, Map<String, Object> state);

    /** Zeroes every parameter's gradient in place, as PyTorch 1.13's {@code zero_grad()}. */
    public void zeroGrad() {
        zeroGrad(false);
    }

    /**
     * Resets every parameter's gradient: with {@code setToNone}, sets it to {@code null} (the
     * parameter is then skipped by the next step unless a new gradient arrives); otherwise zeroes it
     * in place (the parameter still steps, with a zero gradient).
     */
    public void zeroGrad(boolean setToNone) {
        for (ParamGroup group : groups) {
            for (Tensor p : group.params()) {
                Tensor grad = p.grad();
                if (grad == null) {
                    continue;
                }
                if (setToNone) {
                    p.setGrad(null);
                } else {
                    grad.requiresGrad(false);
                    Elements g = Elements.of(grad);
                    for (long i = 0; i < g.count(); i++) {
                        g.set(i, 0.0);
                    }
                }
            }
        }
    }

    /**
     * The state as PyTorch's {@code optimizer.state_dict()}: {@code "state"} maps each parameter's
     * index (counted across groups in order) to its state; {@code "param_groups"} lists each group's
     * hyper-parameters followed by {@code "params"}, the indices of its parameters.
     */
    public Map<String, Object> stateDict() {
        Map<Tensor, Long> index = new IdentityHashMap<>();
        List<Object> packedGroups = new ArrayList<>();
        long start = 0;
        for (ParamGroup group : groups) {
            Map<String, Object> packed = new LinkedHashMap<>(group.options());
            List<Object> ids = new ArrayList<>();
            long i = start;
            for (Tensor p : group.params()) {
                index.putIfAbsent(p, i++);
            }
            for (Tensor p : group.params()) {
                ids.add(index.get(p));
            }
            packed.put("params", ids);
            start += ids.size();
            packedGroups.add(packed);
        }
        Map<Object, Object> packedState = new LinkedHashMap<>();
        state.forEach((key, value) -> packedState.put(key instanceof Tensor t ? index.get(t) : key,
                new LinkedHashMap<>(value)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("state", packedState);
        out.put("param_groups", packedGroups);
        return out;
    }

    /**
     * Loads a state dict written by {@link #stateDict()} or by PyTorch's {@code state_dict()}, as
     * {@code load_state_dict}: the saved groups replace this optimizer's (keeping its parameters),
     * the saved state is copied to the parameters in order, floating state tensors converted to
     * the parameter's dtype (except {@code step}). Nothing in {@code stateDict} is kept: tensors are
     * copied.
     *
     * @throws OptimizerException when the number of groups or of parameters in a group differs
     *                            (with PyTorch's messages), or the dict is not an optimizer state dict
     */
    public void loadStateDict(Map<?, ?> stateDict) {
        List<?> savedGroups = asList(stateDict.get("param_groups"), "param_groups");
        Map<?, ?> savedState = asMap(stateDict.get("state"), "state");
        if (groups.size() != savedGroups.size()) {
            throw new OptimizerException("loaded state dict has a different number of parameter groups");
        }
        List<List<?>> savedIds = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            List<?> ids = asList(asMap(savedGroups.get(g), "param_groups[" + g + "]").get("params"),
                    "param_groups[" + g + "]['params']");
            savedIds.add(ids);
        }
        for (int g = 0; g < groups.size(); g++) {
            if (groups.get(g).params().size() != savedIds.get(g).size()) {
                throw new OptimizerException("loaded state dict contains a parameter group that doesn't match the size of "
                        + "optimizer's group");
            }
        }
        Map<Object, Tensor> idMap = new LinkedHashMap<>();
        for (int g = 0; g < groups.size(); g++) {
            for (int i = 0; i < savedIds.get(g).size(); i++) {
                idMap.put(Values.normalizeKey(savedIds.get(g).get(i)), groups.get(g).params().get(i));
            }
        }
        Map<Object, Map<String, Object>> newState = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : savedState.entrySet()) {
            Object key = Values.normalizeKey(e.getKey());
            Map<?, ?> value = asMap(e.getValue(), "state[" + key + "]");
            Tensor param = idMap.get(key);
            Map<String, Object> copied = new LinkedHashMap<>();
            value.forEach((k, v) -> copied.put(String.valueOf(k),
                    param == null ? Values.deepCopy(v) : castToParam(param, v, k)));
            newState.put(param == null ? key : param, copied);
        }
        List<Map<String, Object>> newOptions = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            Map<String, Object> options = new LinkedHashMap<>();
            asMap(savedGroups.get(g), "param_groups[" + g + "]").forEach((k, v) -> {
                if (!"params".equals(k)) {
                    options.put(String.valueOf(k), Values.deepCopy(v));
                }
            });
            loadedGroupDefaults().forEach(options::putIfAbsent);
            newOptions.add(options);
        }
        for (int g = 0; g < groups.size(); g++) {
            groups.get(g).replaceOptions(newOptions.get(g));
        }
        state = newState;
        afterLoadStateDict(Collections.unmodifiableCollection(state.values()));
    }

    /**
     * The hyper-parameters a loaded group gets when it lacks them (older PyTorch versions wrote
     * fewer keys), as the optimizer's {@code __setstate__} back-fills them; empty by default.
     */
    protected Map<String, Object> loadedGroupDefaults() {
        return Map.of();
    }

    /**
     * Called after a state dict was loaded, with every parameter's state, to bring old layouts up to
     * date (Adam turns an integer {@code step} into a tensor here); does nothing by default.
     */
    protected void afterLoadStateDict(java.util.Collection<Map<String, Object>> states) {
    }

    /**
     * The tensor {@code state[key]} of {@code param}, checked to have the parameter's shape and dtype.
     *
     * @throws OptimizerException when it is missing, not a tensor, or does not fit the parameter
     */
    protected Tensor stateTensor(Map<String, Object> paramState, String key, Tensor param) {
        Object value = paramState.get(key);
        if (!(value instanceof Tensor t)) {
            throw new OptimizerException("state of parameter " + indexOf(param) + " has "
                    + (value == null ? "no tensor '" + key + "'" : "'" + key + "' of type " + Values.typeName(value)));
        }
        if (!Arrays.equals(t.shape(), param.shape()) || t.dtype() != param.dtype()) {
            throw new OptimizerException("state '" + key + "' of parameter " + indexOf(param) + " has shape "
                    + Arrays.toString(t.shape()) + " and dtype " + t.dtype() + ", but the parameter has shape "
                    + Arrays.toString(param.shape()) + " and dtype " + param.dtype());
        }
        return t;
    }

    /** The index {@link #stateDict()} gives {@code param}, for messages. */
    protected final long indexOf(Tensor param) {
        long i = 0;
        for (ParamGroup g : groups) {
            for (Tensor p : g.params()) {
                if (p == param) {
                    return i;
                }
                i++;
            }
        }
        return -1;
    }

    /** {@code load_state_dict}'s {@code cast}: a copy of {@code value}, tensors converted to the parameter's dtype except {@code step}. */
    private static Object castToParam(Tensor param, Object value, Object key) {
        return switch (value) {
            case Tensor t -> !"step".equals(key) && param.dtype().isFloatingPoint() && t.dtype() != param.dtype()
                    ? t.to(param.dtype()) : t.copy();
            case Map<?, ?> m -> {
                Map<Object, Object> out = new LinkedHashMap<>();
                m.forEach((k, v) -> out.put(k, castToParam(param, v, k)));
                yield out;
            }
            case List<?> l -> {
                List<Object> out = new ArrayList<>(l.size());
                l.forEach(v -> out.add(castToParam(param, v, null)));
                yield out;
            }
            case dev.pith.io.pickle.PyTuple t ->
                    new dev.pith.io.pickle.PyTuple(t.items().stream().map(v -> castToParam(param, v, null)).toList());
            case null, default -> value;
        };
    }

    private static Map<?, ?> asMap(Object value, String what) {
        if (value instanceof Map<?, ?> m) {
            return m;
        }
        throw new OptimizerException("optimizer state dict: '" + what + "' is "
                + (value == null ? "missing" : Values.typeName(value) + ", expected a dict"));
    }

    private static List<?> asList(Object value, String what) {
        if (value instanceof List<?> l) {
            return l;
        }
        if (value instanceof dev.pith.io.pickle.PyTuple t) {
            return t.items();
        }
        throw new OptimizerException("optimizer state dict: '" + what + "' is "
                + (value == null ? "missing" : Values.typeName(value) + ", expected a list"));
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(getClass().getSimpleName()).append(" (");
        for (int i = 0; i < groups.size(); i++) {
            b.append("\nParameter Group ").append(i).append('\n');
            groups.get(i).options().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> b.append("    ").append(e.getKey()).append(": ").append(e.getValue()).append('\n'));
        }
        return b.append(')').toString();
    }
}
