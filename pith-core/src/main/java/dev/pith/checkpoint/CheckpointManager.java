package dev.pith.checkpoint;

import dev.pith.FileFormatException;
import dev.pith.PithException;
import dev.pith.PithIOException;
import dev.pith.io.AtomicFile;
import dev.pith.io.torch.ZipArchive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Keeps a training run's checkpoints in one directory: saves {@code checkpoint-epoch-N.pth} (and,
 * if asked, a copy named {@code last.pth}), keeps the newest {@code keep} of them, and finds the
 * newest complete one to resume from.
 *
 * <p>Nothing is ever lost to a crash: every file is written atomically (see {@link AtomicFile}),
 * and an old checkpoint is deleted only after its successor is complete on disk, so at every
 * moment the directory holds at least one complete checkpoint once the first save has finished.
 * Temporary files of interrupted saves are never taken for checkpoints, and the next save removes
 * them.
 *
 * <pre>{@code
 * CheckpointManager checkpoints = new CheckpointManager(Path.of("runs/cifar"), 3, true);
 * long start = checkpoints.resume().flatMap(Checkpoint::epoch).map(e -> e + 1).orElse(0L);
 * for (long epoch = start; epoch < 20; epoch++) {
 *     train(model);
 *     checkpoints.save(epoch, Checkpoint.of(Map.of("epoch", epoch, "model_state_dict", model.stateDict())));
 * }
 * }</pre>
 */
public final class CheckpointManager {
    private static final Pattern NAME = Pattern.compile("checkpoint-epoch-(\\d{1,18})\\.pth");
    /** The name of the optional copy of the newest checkpoint. */
    public static final String LAST = "last.pth";

    private final Path dir;
    private final int keep;
    private final boolean writeLast;

    /**
     * @param dir       the directory (created when missing)
     * @param keep      how many {@code checkpoint-epoch-N.pth} files to keep, at least 1
     * @param writeLast whether every save also writes {@code last.pth}
     */
    public CheckpointManager(Path dir, int keep, boolean writeLast) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be at least 1, got " + keep);
        }
        this.dir = dir;
        this.keep = keep;
        this.writeLast = writeLast;
    }

    /** The file of {@code epoch}'s checkpoint. */
    public Path path(long epoch) {
        return dir.resolve("checkpoint-epoch-" + epoch + ".pth");
    }

    /**
     * Saves {@code checkpoint} as {@code checkpoint-epoch-<epoch>.pth} (and {@code last.pth}), then
     * deletes the checkpoints beyond the newest {@code keep}.
     *
     * @return the file written
     * @throws PithIOException when the directory cannot be written (full, read-only, no
     *                         permission): every previous checkpoint is then still there
     */
    public Path save(long epoch, Checkpoint checkpoint) {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must not be negative, got " + epoch);
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw PithIOException.of("create the checkpoint directory", dir, e);
        }
        Path file = path(epoch);
        checkpoint.save(file);
        if (writeLast) {
            checkpoint.save(dir.resolve(LAST));
        }
        List<Path> all = checkpoints();
        for (Path old : all.subList(0, Math.max(0, all.size() - keep))) {
            if (!old.equals(file)) {
                try {
                    Files.deleteIfExists(old);
                } catch (IOException e) {
                    throw PithIOException.of("delete the old checkpoint", old, e);
                }
            }
        }
        return file;
    }

    /** Saves a checkpoint dict; see {@link #save(long, Checkpoint)}. */
    public Path save(long epoch, Map<?, ?> checkpoint) {
        return save(epoch, Checkpoint.of(checkpoint));
    }

    /** The {@code checkpoint-epoch-N.pth} files, oldest epoch first (temporary files never count). */
    public List<Path> checkpoints() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> !AtomicFile.isTemporary(p) && epochOf(p) >= 0 && Files.isRegularFile(p))
                    .sorted(Comparator.comparingLong(CheckpointManager::epochOf)).toList();
        } catch (IOException e) {
            throw PithIOException.of("list the checkpoint directory", dir, e);
        }
    }

    /**
     * The newest checkpoint file that is complete: its zip directory and every record's CRC-32 check
     * out (a file cut short by a copy, or damaged on disk, is skipped for the one before it).
     */
    public Optional<Path> latest() {
        List<Path> all = new ArrayList<>(checkpoints());
        for (int i = all.size() - 1; i >= 0; i--) {
            if (isComplete(all.get(i))) {
                return Optional.of(all.get(i));
            }
        }
        return Optional.empty();
    }

    /** The newest complete checkpoint, loaded; empty when there is none (a fresh run). */
    public Optional<Checkpoint> resume() {
        List<Path> all = new ArrayList<>(checkpoints());
        for (int i = all.size() - 1; i >= 0; i--) {
            if (isComplete(all.get(i))) {
                try {
                    return Optional.of(Checkpoint.load(all.get(i)));
                } catch (FileFormatException e) {
                    // damaged after all: fall back to the one before
                }
            }
        }
        return Optional.empty();
    }

    private static boolean isComplete(Path file) {
        try (ZipArchive zip = ZipArchive.open(file)) {
            for (String name : zip.names()) {
                zip.verifyCrc(name);
            }
            return true;
        } catch (PithException e) {
            return false;
        }
    }

    private static long epochOf(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }
}
