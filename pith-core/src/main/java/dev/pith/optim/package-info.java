/**
 * Optimizers and learning-rate schedulers that compute what PyTorch 1.13's {@code torch.optim}
 * computes, bit for bit, and read and write its state dicts: {@link dev.pith.optim.SGD},
 * {@link dev.pith.optim.Adam}, {@link dev.pith.optim.AdamW}, {@link dev.pith.optim.RMSprop}
 * over {@link dev.pith.optim.ParamGroup}s; {@link dev.pith.optim.StepLR},
 * {@link dev.pith.optim.MultiStepLR}, {@link dev.pith.optim.ExponentialLR},
 * {@link dev.pith.optim.CosineAnnealingLR}.
 *
 * <p>Optimizers update float32 and float64 parameters in place from their {@code grad()}, with
 * PyTorch's CPU rounding (one rounding per operation, fused multiply-adds where ATen fuses them).
 * Two libm functions are the only known source of difference: Adam's bias corrections use
 * {@code Math.pow} and cosine annealing uses {@code Math.cos}, which can differ from glibc's in the
 * last bit of a double (rarely, and then almost never visible after rounding to float32).
 */
package dev.pith.optim;
