package dev.pith.io.torch;

/**
 * Bounds {@link ZipArchive} enforces on untrusted archives. Exceeding one raises
 * {@link dev.pith.LimitExceededException} naming the file, the entry and the limit.
 *
 * <pre>{@code
 * ZipLimits roomy = ZipLimits.DEFAULTS.withMaxInflatedBytes(16L << 30);
 * try (ZipArchive zip = ZipArchive.open(path, roomy)) { ... }
 * }</pre>
 *
 * @param maxEntries       most entries in the central directory
 * @param maxInflatedBytes largest size a deflated entry may inflate to, and all deflated entries
 *                         of one archive together
 * @param maxInflateRatio  largest ratio of inflated to compressed size, applied to entries that
 *                         inflate to more than {@link #RATIO_EXEMPT_BYTES} (small entries may
 *                         compress extremely well, e.g. zeros)
 */
public record ZipLimits(int maxEntries, long maxInflatedBytes, long maxInflateRatio) {
    /** Entries inflating to at most this many bytes (1 MiB) are not subject to the ratio cap. */
    public static final long RATIO_EXEMPT_BYTES = 1L << 20;

    /** 1,000,000 entries, 4 GiB per inflated entry, ratio 1000:1. */
    public static final ZipLimits DEFAULTS = new ZipLimits(1_000_000, 4L << 30, 1000);

    public ZipLimits {
        if (maxEntries < 0 || maxInflatedBytes < 0 || maxInflateRatio < 1) {
            throw new IllegalArgumentException("zip limits must be non-negative and the ratio at least 1");
        }
    }

    public ZipLimits withMaxEntries(int v) {
        return new ZipLimits(v, maxInflatedBytes, maxInflateRatio);
    }

    public ZipLimits withMaxInflatedBytes(long v) {
        return new ZipLimits(maxEntries, v, maxInflateRatio);
    }

    public ZipLimits withMaxInflateRatio(long v) {
        return new ZipLimits(maxEntries, maxInflatedBytes, v);
    }
}
