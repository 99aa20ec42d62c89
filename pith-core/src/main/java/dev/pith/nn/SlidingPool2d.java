package dev.pith.nn;

/**
 * The window arguments {@link AvgPool2d} and {@link MaxPool2d} share: {@code kernel_size},
 * {@code stride} (defaulting to the kernel size), {@code padding} and {@code ceil_mode}, each size
 * one number or two and printed as given, as in PyTorch.
 */
public abstract class SlidingPool2d extends Module {
    private final PyInts kernelSize;
    private final PyInts stride;
    private final PyInts padding;
    private final boolean ceilMode;

    /** Checks that every size has one or two values; a null {@code stride} is the kernel size. */
    protected SlidingPool2d(PyInts kernelSize, PyInts stride, PyInts padding, boolean ceilMode) {
        this.kernelSize = kernelSize;
        this.stride = stride != null ? stride : kernelSize;
        this.padding = padding;
        this.ceilMode = ceilMode;
        kernelSize.expand(2);
        this.stride.expand(2);
        padding.expand(2);
    }

    public int[] kernelSize() {
        return kernelSize.expand(2);
    }

    public int[] stride() {
        return stride.expand(2);
    }

    public int[] padding() {
        return padding.expand(2);
    }

    public boolean ceilMode() {
        return ceilMode;
    }

    /** {@code kernel_size=.., stride=.., padding=..}, the start of both reprs. */
    protected final String windowRepr() {
        return "kernel_size=" + kernelSize + ", stride=" + stride + ", padding=" + padding;
    }
}
