package dev.pith.nn;

import dev.pith.nn.functional.F;
import dev.pith.tensor.Tensor;

/**
 * Pads the last two dimensions with zeros, as {@code torch.nn.ZeroPad2d}: the same amount on every
 * side, or {@code (left, right, top, bottom)}.
 *
 * <pre>{@code
 * ZeroPad2d pad = new ZeroPad2d(0, 1, 0, 1);   // ZeroPad2d((0, 1, 0, 1))
 * }</pre>
 */
public class ZeroPad2d extends Module {
    private final int[] padding;

    public ZeroPad2d(int padding) {
        this(padding, padding, padding, padding);
    }

    public ZeroPad2d(int left, int right, int top, int bottom) {
        this.padding = new int[]{left, right, top, bottom};
    }

    /** {left, right, top, bottom}. */
    public int[] padding() {
        return padding.clone();
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.pad2d(input, padding.clone());
    }

    @Override
    protected String extraRepr() {
        return PyRepr.pyTuple(padding);
    }
}
