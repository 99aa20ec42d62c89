package dev.pith.recipes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@code main} of the test classes in a NEW JVM: the same {@code java} binary, this JVM's
 * class path, and the options Pith runs with ({@code --add-modules jdk.incubator.vector
 * --enable-native-access=ALL-UNNAMED}). The recipes use it to prove that a checkpoint carries
 * everything across processes, with nothing left behind in static state.
 *
 * <pre>{@code
 * String printed = ChildJvm.run(Recipe7ExactResumeTest.Child.class, saved.toString(), "9", out.toString());
 * }</pre>
 */
final class ChildJvm {
    private static final long LIMIT_SECONDS = 180;

    private ChildJvm() {
    }

    /**
     * Runs {@code main.main(args)} in a new JVM and returns its standard output.
     *
     * @throws AssertionError when it exits with a non-zero status or takes longer than three minutes
     */
    static String run(Class<?> main, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--add-modules");
        command.add("jdk.incubator.vector");
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).start();
            process.getOutputStream().close();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
            if (!process.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the child JVM " + main.getName() + " ran longer than " + LIMIT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new AssertionError("the child JVM " + main.getName() + " exited with " + process.exitValue()
                        + "\nstdout:\n" + out.join() + "\nstderr:\n" + err.join());
            }
            return out.join();
        } catch (IOException e) {
            throw new AssertionError("cannot start a child JVM: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the child JVM", e);
        }
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
