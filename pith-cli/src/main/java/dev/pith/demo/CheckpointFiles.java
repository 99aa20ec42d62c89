package dev.pith.demo;

import dev.pith.PithIOException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The demo's checkpoint files, {@code checkpoint-epoch-N.pth}, one per epoch, in one directory. */
final class CheckpointFiles {
    private static final Pattern NAME = Pattern.compile("checkpoint-epoch-(\\d{1,9})\\.pth");

    private CheckpointFiles() {
    }

    /** The file of epoch {@code epoch}. */
    static Path of(Path dir, long epoch) {
        return dir.resolve("checkpoint-epoch-" + epoch + ".pth");
    }

    /** The checkpoint of the highest epoch in {@code dir}, if there is one. */
    static Optional<Path> latest(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> NAME.matcher(f.getFileName().toString()).matches())
                    .max(Comparator.comparingLong(CheckpointFiles::epochOf));
        } catch (IOException e) {
            throw PithIOException.of("list", dir, e);
        }
    }

    /** Deletes every checkpoint file in {@code dir} (those of an earlier run); returns how many. */
    static int deleteAll(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            int n = 0;
            for (Path f : files.filter(f -> NAME.matcher(f.getFileName().toString()).matches()).toList()) {
                Files.delete(f);
                n++;
            }
            return n;
        } catch (IOException e) {
            throw PithIOException.of("delete old checkpoints in", dir, e);
        }
    }

    private static long epochOf(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }
}
