package dev.pith.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Removes the second names {@link AtomicFile} gave to replaced files, on a background thread so
 * that freeing a large file's blocks does not delay the save; whatever is still pending when the
 * JVM exits is removed by a shutdown hook.
 */
final class OldFileRemoval {
    private static final Set<Path> PENDING = ConcurrentHashMap.newKeySet();
    private static final ExecutorService WORKER = worker();

    private OldFileRemoval() {
    }

    static void later(Path old) {
        PENDING.add(old);
        WORKER.execute(() -> remove(old));
    }

    private static void remove(Path old) {
        try {
            Files.deleteIfExists(old);
        } catch (IOException ignored) {
            // left for the next save in that directory, which removes stale old names
        } finally {
            PENDING.remove(old);
        }
    }

    private static ExecutorService worker() {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "pith-old-file-removal");
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> PENDING.forEach(OldFileRemoval::remove),
                "pith-old-file-removal-at-exit"));
        return pool;
    }
}
