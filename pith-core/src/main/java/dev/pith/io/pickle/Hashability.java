package dev.pith.io.pickle;

import dev.pith.FileFormatException;
import dev.pith.LimitExceededException;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The check an unpickler makes before it uses a value as a dict key or set item. Python refuses to
 * hash lists, dicts and tuples holding them; Java would hash them, recursively and without a cache,
 * so a cyclic or exponentially shared key from a hostile pickle would overflow the stack or never
 * finish. Every key's cost also counts against the running unpickler's total
 * ({@link UnpickleBudget}): one costly key used many times is refused as surely as one huge key.
 * Errors carry no offset; the unpickler adds it.
 */
final class Hashability {
    /** Deepest nesting of tuples (and sets) accepted in a key. */
    static final int MAX_DEPTH = 100;
    /** Most values one key may hold, counted as often as hashing reaches them. */
    static final int MAX_VISITS = 1 << 20;
    /**
     * Most values all keys of one pickle may hold together: hashing a key costs as much as checking it,
     * and a pickle can use one costly key many times over at two bytes a use.
     */
    static final long MAX_TOTAL_VISITS = 1L << 24;

    private Hashability() {
    }

    /**
     * @param what "dict key" or "set item", for the message
     * @return how many values hashing the key reaches (1 for a plain value)
     * @throws FileFormatException     when {@code key} is or holds a list or dict
     * @throws LimitExceededException  when it is nested too deeply or too large to hash
     */
    static long require(Object key, String what) {
        if (!(key instanceof PyTuple) && !(key instanceof Set<?>)) {
            if (key instanceof List<?> || key instanceof Map<?, ?>) {
                throw new FileFormatException("unhashable " + what + ": " + PickleMachine.typeName(key));
            }
            UnpickleBudget.chargeHashing(1);
            return 1;
        }
        ArrayDeque<Object> todo = new ArrayDeque<>();
        ArrayDeque<Integer> depths = new ArrayDeque<>();
        todo.push(key);
        depths.push(0);
        long visits = 0;
        while (!todo.isEmpty()) {
            Object v = todo.pop();
            int depth = depths.pop();
            if (depth > MAX_DEPTH) {
                throw new LimitExceededException(null, null, -1, what + " nested deeper than " + MAX_DEPTH);
            }
            if (++visits > MAX_VISITS) {
                throw new LimitExceededException(null, null, -1,
                        what + " too large to hash (more than " + MAX_VISITS + " values)");
            }
            if (v instanceof List<?> || v instanceof Map<?, ?>) {
                throw new FileFormatException("unhashable " + what + ": it holds a " + PickleMachine.typeName(v));
            }
            Iterable<?> children = v instanceof PyTuple t ? t.items() : v instanceof Set<?> s ? s : null;
            if (children != null) {
                for (Object c : children) {
                    if (c != null) {
                        todo.push(c);
                        depths.push(depth + 1);
                    }
                }
            }
        }
        UnpickleBudget.chargeHashing(visits);
        return visits;
    }
}
