package dev.pith.io.pickle;

/**
 * Bounds an unpickler enforces so that hostile input cannot exhaust memory or the stack. Every
 * bound is checked before the memory it guards is allocated; exceeding one raises
 * {@link dev.pith.LimitExceededException} naming the limit and the offset.
 *
 * <pre>{@code
 * PickleLimits roomy = PickleLimits.DEFAULTS.withMaxStringLength(1L << 31);
 * }</pre>
 *
 * @param maxPickleBytes  largest pickle accepted
 * @param maxMemoEntries  largest memo index / number of memo entries
 * @param maxStackDepth   deepest nesting of {@code MARK}s (containers being built within containers)
 * @param maxStringLength longest str/bytes operand declared (also the longest text line)
 * @param maxContainerItems most items in one list, dict, set or tuple, and most values on the stack
 */
public record PickleLimits(long maxPickleBytes, int maxMemoEntries, int maxStackDepth, long maxStringLength,
                           long maxContainerItems) {
    /** 1 GiB pickle, 10 million memo entries, depth 10,000, 256 MiB strings, 100 million items. */
    public static final PickleLimits DEFAULTS = new PickleLimits(1L << 30, 10_000_000, 10_000, 256L << 20, 100_000_000);

    public PickleLimits withMaxPickleBytes(long v) {
        return new PickleLimits(v, maxMemoEntries, maxStackDepth, maxStringLength, maxContainerItems);
    }

    public PickleLimits withMaxMemoEntries(int v) {
        return new PickleLimits(maxPickleBytes, v, maxStackDepth, maxStringLength, maxContainerItems);
    }

    public PickleLimits withMaxStackDepth(int v) {
        return new PickleLimits(maxPickleBytes, maxMemoEntries, v, maxStringLength, maxContainerItems);
    }

    public PickleLimits withMaxStringLength(long v) {
        return new PickleLimits(maxPickleBytes, maxMemoEntries, maxStackDepth, v, maxContainerItems);
    }

    public PickleLimits withMaxContainerItems(long v) {
        return new PickleLimits(maxPickleBytes, maxMemoEntries, maxStackDepth, maxStringLength, v);
    }
}
