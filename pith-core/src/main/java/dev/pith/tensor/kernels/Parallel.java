package dev.pith.tensor.kernels;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Runs numbered tasks on a small shared pool of daemon threads: the calling thread works too, and
 * tasks are handed out one at a time so that uneven tasks still keep every core busy.
 *
 * <p>The number of threads is {@code -Dpith.threads=N}, or the number of available processors.
 * No thread is created per call. Kernels call {@link #forEach} only when the work is large enough
 * to be worth the hand-off (a few microseconds); small problems stay on the caller's thread.
 *
 * <pre>{@code
 * Parallel.forEach(images, i -> convolveImage(i));
 * }</pre>
 */
public final class Parallel {
    private static final int THREADS = Math.max(1, Integer.getInteger("pith.threads",
            Runtime.getRuntime().availableProcessors()));
    private static final ForkJoinPool POOL = THREADS > 1 ? new ForkJoinPool(THREADS - 1, pool -> {
        var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
        t.setDaemon(true);
        t.setName("pith-kernel-" + t.getPoolIndex());
        return t;
    }, null, false) : null;

    private Parallel() {
    }

    /** The number of threads kernels use (the caller's included). */
    public static int threads() {
        return THREADS;
    }

    /**
     * Runs {@code body.accept(i)} for every i in [0, tasks), spread over the pool and the calling
     * thread; returns when all are done. An exception thrown by a task is rethrown here.
     */
    public static void forEach(int tasks, IntConsumer body) {
        if (tasks <= 0) {
            return;
        }
        if (tasks == 1 || POOL == null || ForkJoinTask.inForkJoinPool()) {
            for (int i = 0; i < tasks; i++) {
                body.accept(i);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            for (int i; (i = next.getAndIncrement()) < tasks; ) {
                body.accept(i);
            }
        };
        int helpers = Math.min(THREADS - 1, tasks - 1);
        ForkJoinTask<?>[] submitted = new ForkJoinTask<?>[helpers];
        for (int h = 0; h < helpers; h++) {
            submitted[h] = POOL.submit(worker);
        }
        Throwable failure = null;
        try {
            worker.run();
        } catch (RuntimeException | Error e) {
            failure = e;
            next.set(tasks);
        }
        for (ForkJoinTask<?> t : submitted) {
            try {
                t.join();
            } catch (RuntimeException | Error e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        if (failure instanceof Error err) {
            throw err;
        }
    }
}
