/**
 * Compute kernels over {@code float[]} arrays: a cache-blocked, register-tiled SGEMM
 * ({@link dev.pith.tensor.kernels.Gemm}), convolution by packed im2col or direct depthwise loops
 * ({@link dev.pith.tensor.kernels.Conv2dKernel}), pooling, normalisation, resampling and softmax.
 *
 * <p>Kernels know nothing of tensors or modules: they take arrays, offsets and sizes, and write
 * into arrays their caller allocated. The SGEMM micro-kernel uses the Vector API
 * ({@code jdk.incubator.vector}) when the JVM runs with {@code --add-modules jdk.incubator.vector};
 * without it (or with {@code -Dpith.simd=false}) the same blocking runs a scalar micro-kernel
 * ({@link dev.pith.tensor.kernels.Simd}). Work large enough to pay for it is split over a small
 * shared pool of threads ({@link dev.pith.tensor.kernels.Parallel}).
 */
package dev.pith.tensor.kernels;
