package dev.pith.io.pickle;

/**
 * Bounds an unpickler enforces so that hostile input cannot exhaust memory, time or the stack.
 * Every bound is checked before the memory it guards is allocated; exceeding one raises
 * {@link dev.pith.LimitExceededException} naming the limit and the offset. The defaults fit every
 * file PyTorch writes (whose pickles hold structure, not tensor data) and keep a hostile pickle
 * within a few hundred MB of Java heap; a caller that trusts a bigger pickle raises them.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><td>{@code maxPickleBytes}</td><td>1 GiB</td></tr>
 *   <tr><td>{@code maxMemoEntries}</td><td>10,000,000</td></tr>
 *   <tr><td>{@code maxStackDepth}</td><td>10,000 (nested MARKs, and nesting of the values built)</td></tr>
 *   <tr><td>{@code maxStringLength}</td><td>256 MiB</td></tr>
 *   <tr><td>{@code maxContainerItems}</td><td>100,000,000</td></tr>
 *   <tr><td>{@code maxValueBytes}</td><td>256 MiB (estimated Java memory of the values built)</td></tr>
 * </table>
 *
 * <pre>{@code
 * PickleLimits roomy = PickleLimits.DEFAULTS.withMaxStringLength(1L << 31).withMaxValueBytes(4L << 30);
 * }</pre>
 *
 * @param maxPickleBytes    largest pickle accepted
 * @param maxMemoEntries    largest memo index / number of memo entries
 * @param maxStackDepth     deepest nesting of {@code MARK}s (containers being built within
 *                          containers), and deepest nesting of the finished value (a tuple in a
 *                          tuple in ..., however it was built)
 * @param maxStringLength   longest str/bytes operand declared (also the longest text line)
 * @param maxContainerItems most items in one list, dict, set or tuple, and most values on the stack
 * @param maxValueBytes     most memory the values of one pickle may take, as the unpickler estimates
 *                          it while it builds them (strings by length, containers by item, memo
 *                          entries, stack slots; generously, so that the real use stays below)
 */
public record PickleLimits(long maxPickleBytes, int maxMemoEntries, int maxStackDepth, long maxStringLength,
                           long maxContainerItems, long maxValueBytes) {
    /** 1 GiB pickle, 10 million memo entries, depth 10,000, 256 MiB strings, 100 million items, 256 MiB of values. */
    public static final PickleLimits DEFAULTS = new PickleLimits(1L << 30, 10_000_000, 10_000, 256L << 20,
            100_000_000, 256L << 20);

    public PickleLimits {
        if (maxPickleBytes < 0 || maxMemoEntries < 0 || maxStackDepth < 0 || maxStringLength < 0
                || maxContainerItems < 0 || maxValueBytes < 0) {
            throw new IllegalArgumentException("pickle limits must not be negative");
        }
    }

    public PickleLimits withMaxPickleBytes(long v) {
        return new PickleLimits(v, maxMemoEntries, maxStackDepth, maxStringLength, maxContainerItems, maxValueBytes);
    }

    public PickleLimits withMaxMemoEntries(int v) {
        return new PickleLimits(maxPickleBytes, v, maxStackDepth, maxStringLength, maxContainerItems, maxValueBytes);
    }

    public PickleLimits withMaxStackDepth(int v) {
        return new PickleLimits(maxPickleBytes, maxMemoEntries, v, maxStringLength, maxContainerItems, maxValueBytes);
    }

    public PickleLimits withMaxStringLength(long v) {
        return new PickleLimits(maxPickleBytes, maxMemoEntries, maxStackDepth, v, maxContainerItems, maxValueBytes);
    }

    public PickleLimits withMaxContainerItems(long v) {
        return new PickleLimits(maxPickleBytes, maxMemoEntries, maxStackDepth, maxStringLength, v, maxValueBytes);
    }

    public PickleLimits withMaxValueBytes(long v) {
        return new PickleLimits(maxPickleBytes, maxMemoEntries, maxStackDepth, maxStringLength, maxContainerItems, v);
    }
}
