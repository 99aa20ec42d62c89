package dev.pith.nn;

import dev.pith.nn.functional.F;
import dev.pith.tensor.Tensor;

/** Flattens dimensions {@code startDim..endDim} into one, as {@code torch.nn.Flatten} (default 1..-1). */
public class Flatten extends Module {
    private final int startDim;
    private final int endDim;

    public Flatten() {
        this(1, -1);
    }

    public Flatten(int startDim, int endDim) {
        this.startDim = startDim;
        this.endDim = endDim;
    }

    /** The first dimension flattened. */
    public int startDim() {
        return startDim;
    }

    /** The last dimension flattened (negative counts from the end). */
    public int endDim() {
        return endDim;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.flatten(input, startDim, endDim);
    }

    @Override
    protected String extraRepr() {
        return "start_dim=" + startDim + ", end_dim=" + endDim;
    }
}
