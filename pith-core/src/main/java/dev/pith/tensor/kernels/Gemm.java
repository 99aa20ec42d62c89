package dev.pith.tensor.kernels;

/**
 * Single-precision matrix multiply, cache-blocked and register-tiled in the manner of GotoBLAS:
 * A is packed once into row panels of the micro-kernel's height; the columns of B are taken a
 * chunk at a time, {@value #KC} rows of k at a time (a block sized for the L2 cache, rows padded
 * so that they do not collide in L1), multiplied against every row panel of A, and the chunk of
 * the product is handed to a sink. Chunks are spread over {@link Parallel}'s threads when the
 * product is large enough; products of a few rows by a column-contiguous B are plain dot products.
 *
 * <p>{@link #multiply} is the plain {@code C = A B} on strided matrices. Convolution drives the
 * same loop with its own packer (im2col straight into the block) and sink (scatter into NCHW with bias
 * and activation): see {@link #run}.
 *
 * <pre>{@code
 * // C[2x2] = A[2x3] B[3x2], row-major
 * Gemm.multiply(2, 2, 3, a, 0, 3, 1, b, 0, 2, 1, c, 0, 2);
 * }</pre>
 */
public final class Gemm {
    /** Block of the k dimension multiplied in one pass (a kc x nr strip of B stays in L1). */
    static final int KC = 256;
    /** Bytes of packed B per chunk: a fraction of a core's L2 cache. */
    private static final int CHUNK_BYTES = 384 * 1024;
    /** Products below this many multiply-adds run on the calling thread only. */
    static final long PARALLEL_MIN_MACS = 1L << 22;
    /** Products with at most this many rows and a column-contiguous B run as dot products. */
    static final int DOT_MAX_ROWS = 8;

    private Gemm() {
    }

    /** A left operand packed into row panels of the micro-kernel's height, zero-padded. */
    public static final class PackedA {
        final float[] data;
        final int m;
        final int k;
        final int mr;
        final int panels;

        private PackedA(float[] data, int m, int k, int mr) {
            this.data = data;
            this.m = m;
            this.k = k;
            this.mr = mr;
            this.panels = (m + mr - 1) / mr;
        }

        /** Rows. */
        public int rows() {
            return m;
        }

        /** Columns (the shared k dimension). */
        public int depth() {
            return k;
        }
    }

    /**
     * Fills a block of B, rows [k0, k0 + kc) and columns [n0, n0 + nc):
     * {@code buf[kk*ldb + j]} holds {@code B[k0 + kk][n0 + j]}; columns [nc, ldb) must be zero.
     * Called from several threads at once (for different blocks and buffers).
     */
    @FunctionalInterface
    public interface BlockPacker {
        void pack(int n0, int nc, int k0, int kc, float[] buf, int ldb);
    }

    /** Receives the product's columns [n0, n0 + nc): row i, column j at {@code c[i*ldc + j]}. */
    @FunctionalInterface
    public interface TileSink {
        void accept(int n0, int nc, float[] c, int ldc);
    }

    /** Packs the strided matrix {@code A[i][kk] = a[off + i*rs + kk*cs]} ({@code m x k}) for the default kernel. */
    public static PackedA packA(int m, int k, float[] a, int off, int rs, int cs) {
        return packA(MicroKernels.DEFAULT, m, k, a, off, rs, cs);
    }

    static PackedA packA(MicroKernel mk, int m, int k, float[] a, int off, int rs, int cs) {
        int mr = mk.mr();
        int panels = (m + mr - 1) / mr;
        float[] p = new float[Math.multiplyExact(panels * mr, Math.max(k, 1))];
        for (int ip = 0; ip < panels; ip++) {
            int base = ip * k * mr;
            int rows = Math.min(mr, m - ip * mr);
            for (int i = 0; i < rows; i++) {
                int src = off + (ip * mr + i) * rs;
                if (cs == 1) {
                    for (int kk = 0; kk < k; kk++) {
                        p[base + kk * mr + i] = a[src + kk];
                    }
                } else {
                    for (int kk = 0; kk < k; kk++) {
                        p[base + kk * mr + i] = a[src + kk * cs];
                    }
                }
            }
        }
        return new PackedA(p, m, k, mr);
    }

    /**
     * Multiplies packed A ({@code m x k}) by a B of {@code n} columns that {@code packer} provides,
     * chunk by chunk, giving each chunk of the product to {@code sink} (possibly from several
     * threads at once, for disjoint column ranges).
     */
    public static void run(PackedA a, int n, BlockPacker packer, TileSink sink) {
        run(MicroKernels.DEFAULT, a, n, packer, sink);
    }

    static void run(MicroKernel mk, PackedA a, int n, BlockPacker packer, TileSink sink) {
        if (a.mr != mk.mr()) {
            throw new IllegalArgumentException("A was packed for another micro-kernel");
        }
        if (n <= 0 || a.m <= 0) {
            return;
        }
        int nr = mk.nr();
        long macs = (long) a.m * n * a.k;
        int threads = Parallel.threads() > 1 && macs >= PARALLEL_MIN_MACS ? Parallel.threads() : 1;
        int panels = (n + nr - 1) / nr;
        int maxPanels = Math.max(1, CHUNK_BYTES / (Math.min(Math.max(a.k, 1), KC) * 4 * nr));
        int chunks = (panels + maxPanels - 1) / maxPanels;
        if (threads > 1) {
            // at least four chunks per thread: a thread that starts late still finds work
            chunks = Math.min(panels, Math.max(chunks, 4 * threads));
        }
        int chunkCount = chunks;
        java.util.function.IntConsumer chunk = ci -> {
            int n0 = (int) ((long) panels * ci / chunkCount) * nr;
            int n1 = Math.min(n, (int) ((long) panels * (ci + 1) / chunkCount) * nr);
            multiplyChunk(mk, a, n0, n1 - n0, packer, sink);
        };
        if (threads > 1) {
            Parallel.forEach(chunks, chunk);
        } else {
            for (int ci = 0; ci < chunks; ci++) {
                chunk.accept(ci);
            }
        }
    }

    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[2][]);

    private static float[] scratch(int which, int size) {
        float[][] s = SCRATCH.get();
        if (s[which] == null || s[which].length < size) {
            s[which] = new float[size];
        }
        return s[which];
    }

    private static void multiplyChunk(MicroKernel mk, PackedA a, int n0, int cols, BlockPacker packer, TileSink sink) {
        int mr = mk.mr();
        int nr = mk.nr();
        int k = a.k;
        int bPanels = (cols + nr - 1) / nr;
        int ldc = bPanels * nr;
        int ldb = paddedStride(ldc);
        float[] b = scratch(0, Math.max(1, Math.min(k, KC) * ldb));
        float[] c = scratch(1, a.panels * mr * ldc);
        if (k == 0) {
            java.util.Arrays.fill(c, 0, a.panels * mr * ldc, 0f);
        }
        for (int k0 = 0; k0 < k; k0 += KC) {
            int kc = Math.min(KC, k - k0);
            boolean accumulate = k0 > 0;
            packer.pack(n0, cols, k0, kc, b, ldb);
            for (int jp = 0; jp < bPanels; jp++) {
                for (int ip = 0; ip < a.panels; ip++) {
                    mk.multiply(kc, a.data, ip * k * mr + k0 * mr, b, jp * nr, ldb, c, ip * mr * ldc + jp * nr, ldc,
                            accumulate);
                }
            }
        }
        sink.accept(n0, cols, c, ldc);
    }

    /**
     * A row stride of at least {@code width} floats whose length in 64-byte cache lines is odd, so
     * that consecutive rows of a B block fall into different L1 sets (a power-of-two stride would
     * make them evict each other).
     */
    static int paddedStride(int width) {
        int lines = (width + 15) / 16;
        return (lines % 2 == 0 ? lines + 1 : lines) * 16;
    }

    /**
     * Few rows times a B whose columns are contiguous (a linear layer's {@code x W^T} at small batch):
     * plain dot products, no packing, columns split over threads when large.
     */
    private static void multiplyByDots(MicroKernel mk, int m, int n, int k, float[] a, int aOff, int aRs,
                                       float[] b, int bOff, int bCs, float[] c, int cOff, int ldc) {
        long macs = (long) m * n * k;
        int tasks = Parallel.threads() > 1 && macs >= PARALLEL_MIN_MACS ? 2 * Parallel.threads() : 1;
        Parallel.forEach(tasks, t -> {
            int from = (int) ((long) n * t / tasks);
            int to = (int) ((long) n * (t + 1) / tasks);
            for (int j = from; j < to; j++) {
                for (int i = 0; i < m; i++) {
                    c[cOff + i * ldc + j] = mk.dot(a, aOff + i * aRs, b, bOff + j * bCs, k);
                }
            }
        });
    }

    /** A packer for the strided matrix {@code B[kk][j] = b[off + kk*rs + j*cs]}. */
    public static BlockPacker stridedPacker(float[] b, int off, int rs, int cs) {
        return (n0, nc, k0, kc, buf, ldb) -> {
            for (int kk = 0; kk < kc; kk++) {
                int dst = kk * ldb;
                int src = off + (k0 + kk) * rs + n0 * cs;
                if (cs == 1) {
                    System.arraycopy(b, src, buf, dst, nc);
                } else {
                    for (int j = 0; j < nc; j++) {
                        buf[dst + j] = b[src + j * cs];
                    }
                }
                java.util.Arrays.fill(buf, dst + nc, dst + ldb, 0f);
            }
        };
    }

    /**
     * {@code C = A B} for strided matrices: {@code A[i][kk] = a[aOff + i*aRs + kk*aCs]} ({@code m x k}),
     * {@code B[kk][j] = b[bOff + kk*bRs + j*bCs]} ({@code k x n}), {@code C[i][j] = c[cOff + i*ldc + j]}.
     */
    public static void multiply(int m, int n, int k, float[] a, int aOff, int aRs, int aCs,
                                float[] b, int bOff, int bRs, int bCs, float[] c, int cOff, int ldc) {
        multiply(MicroKernels.DEFAULT, m, n, k, a, aOff, aRs, aCs, b, bOff, bRs, bCs, c, cOff, ldc);
    }

    static void multiply(MicroKernel mk, int m, int n, int k, float[] a, int aOff, int aRs, int aCs,
                         float[] b, int bOff, int bRs, int bCs, float[] c, int cOff, int ldc) {
        if (m <= DOT_MAX_ROWS && aCs == 1 && bRs == 1 && bCs != 1) {
            multiplyByDots(mk, m, n, k, a, aOff, aRs, b, bOff, bCs, c, cOff, ldc);
            return;
        }
        PackedA pa = packA(mk, m, k, a, aOff, aRs, aCs);
        run(mk, pa, n, stridedPacker(b, bOff, bRs, bCs), (n0, nc, tile, tldc) -> {
            for (int i = 0; i < m; i++) {
                System.arraycopy(tile, i * tldc, c, cOff + i * ldc + n0, nc);
            }
        });
    }
}
