package dev.pith.nn.functional;

/**
 * How a loss combines its per-element values, as PyTorch's {@code reduction} argument.
 *
 * <pre>{@code
 * Tensor perSample = F.crossEntropy(logits, labels, null, -100, Reduction.NONE, 0.0);
 * Reduction r = Reduction.of("sum");
 * }</pre>
 */
public enum Reduction {
    /** Every per-element loss, in the target's shape ({@code 'none'}). */
    NONE,
    /** The average ({@code 'mean'}, the default); weighted losses divide by the total weight. */
    MEAN,
    /** The sum ({@code 'sum'}). */
    SUM;

    /** The reduction named as in PyTorch: {@code "none"}, {@code "mean"} or {@code "sum"}. */
    public static Reduction of(String name) {
        return switch (name) {
            case "none" -> NONE;
            case "mean" -> MEAN;
            case "sum" -> SUM;
            default -> throw new IllegalArgumentException(name + " is not a valid value for reduction");
        };
    }

    /** PyTorch's name: {@code "none"}, {@code "mean"} or {@code "sum"}. */
    public String pyName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
