package dev.pith.checkpoint;

import dev.pith.tensor.StateDict;
import dev.pith.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Key surgery on state dicts, for loading weights into a model whose names differ: renamed layers
 * ({@link #renameKeys}), DataParallel's {@code module.} prefix removed ({@link #consumePrefix}, as
 * PyTorch's {@code consume_prefix_in_state_dict_if_present}) or added ({@link #addPrefix}).
 *
 * <p>Each method returns a new {@link StateDict} in the same order, holding the same tensor objects
 * (nothing is copied), with {@code _metadata} renamed alongside the keys; the argument is left as
 * it was.
 *
 * <pre>{@code
 * StateDict sd = Checkpoint.load(path).modelStateDict();
 * model.loadStateDict(StateDicts.consumePrefix(sd, "module."));           // saved from DataParallel
 * Torch.save(StateDicts.addPrefix(model.stateDict(), "module."), out);     // for a DataParallel model
 * StateDict renamed = StateDicts.renameKeys(sd, k -> k.replaceFirst("^classifier\\.", "fc."));
 * }</pre>
 */
public final class StateDicts {
    private StateDicts() {
    }

    /**
     * {@code stateDict} with every key {@code k} replaced by {@code rename.apply(k)}. The
     * {@code _metadata} entry of a module moves with its keys when the renaming keeps their last
     * component (a module's metadata is dropped only when its keys are renamed inconsistently).
     *
     * @throws IllegalArgumentException if {@code rename} returns null, or maps two keys to one name
     */
    public static StateDict renameKeys(Map<String, ? extends Tensor> stateDict, Function<String, String> rename) {
        Objects.requireNonNull(rename, "rename");
        StateDict out = new StateDict();
        for (Map.Entry<String, ? extends Tensor> e : stateDict.entrySet()) {
            String key = rename.apply(e.getKey());
            if (key == null) {
                throw new IllegalArgumentException("renaming gave null for key \"" + e.getKey() + "\"");
            }
            if (out.containsKey(key)) {
                throw new IllegalArgumentException("renaming maps two keys to \"" + key + "\" (one of them is \""
                        + e.getKey() + "\")");
            }
            out.put(key, e.getValue());
        }
        if (stateDict instanceof StateDict sd && sd.metadata().isPresent()) {
            out.metadata(renameMetadata(sd, rename));
        }
        return out;
    }

    /**
     * {@code stateDict} with {@code prefix} removed from every key (and {@code _metadata} module
     * name) that starts with it; other keys are kept as they are. The usual {@code prefix} is
     * {@code "module."}, which {@code nn.DataParallel} and {@code DistributedDataParallel} put in
     * front of every key.
     */
    public static StateDict consumePrefix(Map<String, ? extends Tensor> stateDict, String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        StateDict out = renameKeys(stateDict, k -> k.startsWith(prefix) ? k.substring(prefix.length()) : k);
        if (stateDict instanceof StateDict sd && sd.metadata().isPresent()) {
            // PyTorch's rule for _metadata: the wrapped model "module" becomes the root "" (replacing
            // the wrapper's own entry), "module.x" becomes "x".
            String bare = prefix.endsWith(".") ? prefix.substring(0, prefix.length() - 1) : prefix;
            Map<String, Map<String, Object>> old = sd.metadata().get();
            boolean wrapped = !bare.isEmpty() && old.containsKey(bare);
            LinkedHashMap<String, Map<String, Object>> metadata = new LinkedHashMap<>();
            old.forEach((name, value) -> {
                if (name.isEmpty() && wrapped) {
                    return;
                }
                String renamed = name.equals(bare) ? "" : name.startsWith(prefix) ? name.substring(prefix.length()) : name;
                metadata.put(renamed, value);
            });
            out.metadata(metadata);
        }
        return out;
    }

    /**
     * {@code stateDict} with {@code prefix} put in front of every key and {@code _metadata} module
     * name: the reverse of {@link #consumePrefix}, for loading plain weights into a model wrapped as
     * DataParallel wraps it.
     */
    public static StateDict addPrefix(Map<String, ? extends Tensor> stateDict, String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        StateDict out = renameKeys(stateDict, k -> prefix + k);
        if (stateDict instanceof StateDict sd && sd.metadata().isPresent()) {
            String bare = prefix.endsWith(".") ? prefix.substring(0, prefix.length() - 1) : prefix;
            LinkedHashMap<String, Map<String, Object>> metadata = new LinkedHashMap<>();
            sd.metadata().get().forEach((name, value) -> metadata.put(name.isEmpty() ? bare : prefix + name, value));
            out.metadata(metadata);
        }
        return out;
    }

    /**
     * Metadata under the renamed module names: a module {@code m} moves to {@code m'} when its keys
     * {@code m.leaf} are renamed to {@code m'.leaf}; modules without keys keep their names.
     */
    private static LinkedHashMap<String, Map<String, Object>> renameMetadata(StateDict sd, Function<String, String> rename) {
        LinkedHashMap<String, Map<String, Object>> out = new LinkedHashMap<>();
        sd.metadata().get().forEach((module, value) -> {
            String moved = module;
            for (String key : sd.keySet()) {
                String leaf = leafOf(key, module);
                if (leaf != null) {
                    String renamed = rename.apply(key);
                    moved = renamed.equals(leaf) ? "" : renamed.endsWith("." + leaf)
                            ? renamed.substring(0, renamed.length() - leaf.length() - 1) : null;
                    break;
                }
            }
            if (moved != null) {
                out.putIfAbsent(moved, value);
            }
        });
        return out;
    }

    /** The last component of {@code key} when {@code key} belongs directly to {@code module}, else null. */
    private static String leafOf(String key, String module) {
        String rest;
        if (module.isEmpty()) {
            rest = key;
        } else if (key.startsWith(module + ".")) {
            rest = key.substring(module.length() + 1);
        } else {
            return null;
        }
        return rest.contains(".") ? null : rest;
    }
}
