package dev.pith.autograd;

import dev.pith.tensor.DType;
import dev.pith.tensor.Tensor;
import dev.pith.tensor.TensorData;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The reverse-mode engine and the one way ops record their backward.
 *
 * <p>An op calls {@link #record} with its output, a name and a closure; when grad mode is on and an
 * input requires a gradient, the output gets a {@link GradFn} and requires a gradient too.
 * {@link #backward} sorts the nodes reachable from the root topologically and runs each once, with
 * grad mode off: the gradients reaching a node are summed first, and a leaf that requires a
 * gradient gets it added into its {@code grad()} (set when absent). Gradients of non-leaf tensors
 * are not kept unless {@link Tensor#retainGrad()} asked for it; the graph's saved values are freed
 * unless {@code retainGraph}.
 *
 * <pre>{@code
 * // inside an op: forward, then its backward beside it
 * Tensor y = ...;  // computed from x
 * return Autograd.record(y, "ExpBackward0", (g, needs) -> new Tensor[]{g.mul(y)}, x);
 * }</pre>
 */
public final class Autograd {
    private Autograd() {
    }

    /** True when grad mode is on and {@code t} requires a gradient. */
    public static boolean needsGrad(Tensor t) {
        return t != null && t.requiresGrad() && GradMode.isEnabled();
    }

    /** True when grad mode is on and any of {@code inputs} (nulls allowed) requires a gradient. */
    public static boolean needsGrad(Tensor... inputs) {
        for (Tensor t : inputs) {
            if (t != null && t.requiresGrad()) {
                return GradMode.isEnabled();
            }
        }
        return false;
    }

    /**
     * Attaches a new {@link GradFn} named {@code name} to {@code output} when {@link #needsGrad}
     * holds for {@code inputs}; returns {@code output}. The closure receives the gradient of
     * {@code output} and returns one gradient per input, in the order of {@code inputs}.
     */
    public static Tensor record(Tensor output, String name, GradFn.Backward backward, Tensor... inputs) {
        if (needsGrad(inputs)) {
            output.setGradFn(new GradFn(name, backward, inputs));
        }
        return output;
    }

    /**
     * Computes the gradient of {@code root} with respect to every leaf tensor that requires one and
     * adds it into that leaf's {@code grad()}, as {@code torch.autograd.backward}.
     *
     * @param gradient the gradient with respect to {@code root} (its shape); null means 1, allowed
     *                 only for a one-element root
     * @param retainGraph keep the graph's saved values so that another backward pass can run
     * @throws AutogradException if root does not require a gradient, the implicit gradient is asked
     *                           of a non-scalar, or the graph was freed by an earlier pass
     */
    public static void backward(Tensor root, Tensor gradient, boolean retainGraph) {
        if (!root.requiresGrad()) {
            throw new AutogradException("element 0 of tensors does not require grad and does not have a grad_fn");
        }
        Tensor grad = gradient;
        if (grad == null) {
            if (root.numel() != 1) {
                throw new AutogradException("grad can be implicitly created only for scalar outputs");
            }
            grad = Tensor.ones(root.dtype(), root.shape());
        } else if (!Arrays.equals(grad.shape(), root.shape())) {
            throw new AutogradException("Mismatch in shape: grad_output[0] has a shape of " + Arrays.toString(grad.shape())
                    + " and output[0] has a shape of " + Arrays.toString(root.shape()) + ".");
        }
        GradFn top = root.gradFn();
        try (var ignored = GradMode.noGrad()) {
            if (top == null) {
                accumulate(root, grad);
                return;
            }
            Map<GradFn, Tensor> pending = new IdentityHashMap<>();
            pending.put(top, grad);
            for (GradFn node : topologicalOrder(top)) {
                Tensor g = pending.remove(node);
                if (g == null) {
                    continue;
                }
                if (node.retained() != null) {
                    accumulate(node.retained(), g);
                }
                Tensor[] grads = node.apply(g);
                if (!retainGraph) {
                    node.release();
                }
                for (int i = 0; i < grads.length; i++) {
                    Tensor gi = grads[i];
                    if (gi == null || !node.needsInputGrad(i)) {
                        continue;
                    }
                    GradFn next = node.next(i);
                    if (next != null) {
                        pending.merge(next, gi, Tensor::add);
                    } else {
                        accumulate(node.leaf(i), gi);
                    }
                }
            }
        }
    }

    /** The nodes reachable from {@code root}, each after every node that feeds it a gradient. */
    private static List<GradFn> topologicalOrder(GradFn root) {
        List<GradFn> postOrder = new ArrayList<>();
        Set<GradFn> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<GradFn> stack = new ArrayDeque<>();
        ArrayDeque<Integer> position = new ArrayDeque<>();
        stack.push(root);
        position.push(0);
        seen.add(root);
        while (!stack.isEmpty()) {
            GradFn node = stack.peek();
            int i = position.pop();
            if (i < node.size()) {
                position.push(i + 1);
                GradFn child = node.next(i);
                if (child != null && seen.add(child)) {
                    stack.push(child);
                    position.push(0);
                }
            } else {
                stack.pop();
                postOrder.add(node);
            }
        }
        Collections.reverse(postOrder);
        return postOrder;
    }

    /** Adds {@code g} into {@code t.grad()}, or sets it to a copy of {@code g} owned by {@code t}. */
    private static void accumulate(Tensor t, Tensor g) {
        DType dtype = t.dtype();
        Tensor existing = t.grad();
        if (existing == null) {
            Tensor owned = g.dtype() == dtype ? g.copy() : g.to(dtype);
            t.setGrad(owned);
        } else {
            TensorData.addInto(existing, g);
        }
    }
}
