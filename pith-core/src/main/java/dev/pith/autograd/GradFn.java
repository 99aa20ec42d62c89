package dev.pith.autograd;

import dev.pith.tensor.Tensor;

import java.util.Arrays;
import java.util.List;

/**
 * A node of the backward graph, as PyTorch's {@code grad_fn}: made by the op that computed a tensor,
 * it knows where that op's inputs came from and holds a closure that maps the gradient of the
 * op's output to one gradient per input. Its name is PyTorch's ({@code "ConvolutionBackward0"},
 * {@code "AddmmBackward0"}, ...), for debugging.
 *
 * <p>Ops create nodes through {@link Autograd#record}; users meet them as {@link Tensor#gradFn()}.
 * After a backward pass without {@code retainGraph} the closure is dropped (with the tensors it
 * saved), and a second backward through the node fails, as in PyTorch.
 *
 * <pre>{@code
 * Tensor y = F.relu(F.linear(x, w, b));
 * y.gradFn().name();                          // "ReluBackward0"
 * y.gradFn().nextFunctions().get(0).name();   // "AddmmBackward0"
 * }</pre>
 */
public final class GradFn {
    /**
     * The backward of one op: the gradient with respect to each input, given the gradient with
     * respect to the output. Entry i may be null when {@code needsInputGrad[i]} is false (the op can
     * skip that work) or when input i gets no gradient (integer indices, for example).
     */
    @FunctionalInterface
    public interface Backward {
        Tensor[] apply(Tensor gradOutput, boolean[] needsInputGrad);
    }

    private final String name;
    private final GradFn[] next;
    private final Tensor[] leaves;
    private final long[][] shapes;
    private final boolean[] needs;
    private Backward backward;
    private Tensor retained;

    GradFn(String name, Backward backward, Tensor[] inputs) {
        this.name = name;
        this.backward = backward;
        int n = inputs.length;
        this.next = new GradFn[n];
        this.leaves = new Tensor[n];
        this.shapes = new long[n][];
        this.needs = new boolean[n];
        for (int i = 0; i < n; i++) {
            Tensor t = inputs[i];
            if (t != null && t.requiresGrad()) {
                needs[i] = true;
                shapes[i] = t.shape();
                if (t.gradFn() != null) {
                    next[i] = t.gradFn();
                } else {
                    leaves[i] = t;
                }
            }
        }
    }

    /** The op's backward name, e.g. {@code "ConvolutionBackward0"}. */
    public String name() {
        return name;
    }

    /**
     * The nodes of this node's inputs, one entry per input: {@code null} for an input that is a
     * leaf or does not require a gradient.
     */
    public List<GradFn> nextFunctions() {
        return Arrays.asList(next.clone());
    }

    /** Whether input {@code i} receives a gradient from this node. */
    public boolean needsInputGrad(int i) {
        return needs[i];
    }

    /**
     * Keeps the gradient that reaches this node in {@code output.grad()} during backward passes
     * (for a non-leaf {@code output} whose {@link Tensor#retainGrad()} was called).
     */
    public void retainGradOf(Tensor output) {
        if (output.gradFn() != this) {
            throw new IllegalArgumentException("the tensor was not made by " + name);
        }
        this.retained = output;
    }

    /** True once a backward pass without {@code retainGraph} has run through this node. */
    public boolean isReleased() {
        return backward == null;
    }

    int size() {
        return next.length;
    }

    GradFn next(int i) {
        return next[i];
    }

    Tensor leaf(int i) {
        return leaves[i];
    }

    Tensor retained() {
        return retained;
    }

    /** Runs the closure and checks that every gradient has its input's shape. */
    Tensor[] apply(Tensor gradOutput) {
        if (backward == null) {
            throw new AutogradException("Trying to backward through the graph a second time (or directly access saved "
                    + "tensors after they have already been freed). Saved intermediate values of the graph are freed "
                    + "when you call .backward(). Specify retainGraph=true if you need to backward through the graph "
                    + "a second time (in " + name + ").");
        }
        Tensor[] grads = backward.apply(gradOutput, needs.clone());
        if (grads.length != next.length) {
            throw new AutogradException("function " + name + " returned " + grads.length + " gradients, expected "
                    + next.length);
        }
        for (int i = 0; i < grads.length; i++) {
            if (grads[i] != null && needs[i] && !Arrays.equals(grads[i].shape(), shapes[i])) {
                throw new AutogradException("Function " + name + " returned an invalid gradient at index " + i
                        + " - got " + Arrays.toString(grads[i].shape()) + " but expected shape compatible with "
                        + Arrays.toString(shapes[i]));
            }
        }
        return grads;
    }

    /** Drops the closure and what it saved. */
    void release() {
        backward = null;
    }

    @Override
    public String toString() {
        return "<" + name + ">";
    }
}
