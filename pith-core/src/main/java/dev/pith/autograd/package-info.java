/**
 * Reverse-mode automatic differentiation, as PyTorch's autograd.
 *
 * <p>Every differentiable op, when {@link dev.pith.autograd.GradMode} is enabled and one of its
 * inputs requires a gradient, records a {@link dev.pith.autograd.GradFn} on its output: the inputs
 * and a closure mapping the output's gradient to one gradient per input, written beside the op's
 * forward code. {@link dev.pith.tensor.Tensor#backward()} hands the output to
 * {@link dev.pith.autograd.Autograd#backward}, which sorts the recorded nodes topologically and runs
 * each closure once, accumulating into the {@code grad()} of leaf tensors that require gradients.
 *
 * <p>{@code tensor} and {@code autograd} are one layer: a tensor knows its {@code gradFn()} and
 * starts its own backward pass; this package holds the engine and the grad mode.
 *
 * <pre>{@code
 * Tensor loss = F.crossEntropy(model.forward(images), labels);
 * model.zeroGrad();
 * loss.backward();                       // fills p.grad() for every parameter
 * try (var g = GradMode.noGrad()) {      // inference: no graph is recorded
 *     Tensor logits = model.forward(testImages);
 * }
 * }</pre>
 */
package dev.pith.autograd;
