package dev.pith.io.pickle;

import dev.pith.LimitExceededException;

/**
 * The memory and hashing budget of the unpickler running on this thread, for the functions a
 * {@link GlobalResolver} hands out: a function that copies its arguments into a new container
 * ({@code builtins.set(list)}, {@code torch.Size(tuple)}) charges what it allocates here, because
 * a pickle can call it many times over on one memoized argument at a few bytes a call.
 *
 * <pre>{@code
 * PyCallable size = args -> {
 *     List<?> items = ...;
 *     UnpickleBudget.chargeItems(items.size(), 8);
 *     return new TorchSize(...);
 * };
 * }</pre>
 *
 * <p>Outside an unpickler (a function called directly by Java code) the charges do nothing.
 * Errors carry no offset; the unpickler adds the offset of the opcode that made the call.
 */
public final class UnpickleBudget {
    private static final ThreadLocal<UnpickleBudget> CURRENT = new ThreadLocal<>();

    private final long maxValueBytes;
    private long valueBytes;
    private long hashVisits;

    private UnpickleBudget(long maxValueBytes) {
        this.maxValueBytes = maxValueBytes;
    }

    /** Charges {@code count} items of {@code bytesPerItem} bytes each to the running unpickler. */
    public static void chargeItems(long count, long bytesPerItem) {
        UnpickleBudget b = CURRENT.get();
        if (b != null) {
            b.charge(Math.multiplyHigh(count, bytesPerItem) != 0 ? Long.MAX_VALUE / 2 : count * bytesPerItem);
        }
    }

    /** Starts a budget for the machine about to run on this thread; returns the one it replaces. */
    static UnpickleBudget enter(PickleLimits limits) {
        UnpickleBudget previous = CURRENT.get();
        CURRENT.set(new UnpickleBudget(limits.maxValueBytes()));
        return previous;
    }

    /** Ends the current budget, restoring {@code previous}. */
    static void exit(UnpickleBudget previous) {
        if (previous == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(previous);
        }
    }

    /** The budget of this thread's running machine (never null inside {@link #enter}/{@link #exit}). */
    static UnpickleBudget current() {
        return CURRENT.get();
    }

    long valueBytes() {
        return valueBytes;
    }

    void charge(long bytes) {
        valueBytes += bytes;
        if (valueBytes > maxValueBytes || valueBytes < 0) {
            throw new LimitExceededException(null, null, -1, "the pickle's values would take more than the limit of "
                    + maxValueBytes + " bytes of memory (estimated)");
        }
    }

    /** Counts values reached while hashing keys, within {@link Hashability#MAX_TOTAL_VISITS} per pickle. */
    static void chargeHashing(long visits) {
        UnpickleBudget b = CURRENT.get();
        if (b == null) {
            return;
        }
        b.hashVisits += visits;
        if (b.hashVisits > Hashability.MAX_TOTAL_VISITS) {
            throw new LimitExceededException(null, null, -1, "dict keys and set items too costly to hash: more than "
                    + Hashability.MAX_TOTAL_VISITS + " values reached hashing them");
        }
    }
}
