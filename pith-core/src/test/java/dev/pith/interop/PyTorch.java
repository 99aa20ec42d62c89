package dev.pith.interop;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The real PyTorch, for tests: runs the scripts under {@code interop/} with a Python that has
 * {@code torch}, {@code torchvision} and {@code numpy}, and keeps the files they make.
 *
 * <p>The interpreter is the system property {@code pith.python} (default {@code /usr/bin/python3});
 * the repository root is {@code pith.repo} (default: the nearest directory above {@code user.dir}
 * that holds {@code interop/}). Generated files go to the calling module's
 * {@code target/interop-corpus} and {@code target/interop-hostile}; they are made once per JVM and
 * reused by later runs while their {@code manifest.json} is newer than the script that made them.
 *
 * <p>When Python or PyTorch is missing every method throws {@link IllegalStateException} saying what
 * to install: interop tests fail, they are never skipped.
 *
 * <pre>{@code
 * Path resnet = PyTorch.corpus().resolve("resnet18_state_dict.pth");
 * Map<String, Object> expected = Json.parseObject(PyTorch.describe(resnet));
 * assertThat(PyTorch.checkLoad(written, true).ok()).isTrue();
 * }</pre>
 */
public final class PyTorch {
    private static final Object LOCK = new Object();
    private static final long PROCESS_LIMIT_MINUTES = 15;
    private static final Pattern MISSING_MODULE =
            Pattern.compile("No module named '(torch|torchvision|numpy|onnx)\\b");
    private static final Map<DescribeKey, String> DESCRIBED = new ConcurrentHashMap<>();
    private static Path corpus;
    private static Path hostile;

    private PyTorch() {
    }

    /** The Python interpreter the scripts run with. */
    public static Path python() {
        return Path.of(System.getProperty("pith.python", "/usr/bin/python3"));
    }

    /** The repository root: the directory holding {@code interop/}. */
    public static Path repo() {
        String configured = System.getProperty("pith.repo");
        if (configured != null && !configured.isBlank()) {
            Path found = findRepoAbove(Path.of(configured));
            if (found != null) {
                return found;
            }
        }
        Path found = findRepoAbove(Path.of(System.getProperty("user.dir")));
        if (found == null) {
            throw new IllegalStateException("cannot find the Pith repository (a directory holding interop/make_corpus.py) "
                    + "above " + System.getProperty("user.dir") + "; set -Dpith.repo=...");
        }
        return found;
    }

    /** The {@code interop/} directory of scripts. */
    public static Path interopDir() {
        return repo().resolve("interop");
    }

    /**
     * Runs {@code interop/<script>} with {@code args} and returns what it printed.
     *
     * @throws IllegalStateException when it exits with a non-zero status (the message holds its stderr)
     */
    public static String run(String script, String... args) {
        return succeeded(exec(script, args));
    }

    /** Runs {@code interop/<script>} with {@code args} and returns the outcome, whatever the exit status. */
    public static ScriptRun exec(String script, String... args) {
        return execPython(interopDir().resolve(script).toString(), (Object[]) args);
    }

    /**
     * Runs a Python program given as text ({@code python -c program}) with {@code args} as
     * {@code sys.argv[1:]} and returns what it printed: the inline scripts of the interop tests.
     *
     * @throws IllegalStateException when it exits with a non-zero status (the message holds its stderr)
     */
    public static String runInline(String program, Object... args) {
        return succeeded(execPython("-c", prepend(program, args)));
    }

    /**
     * Runs the Python script {@code file} (one outside {@code interop/}, such as a test resource)
     * with {@code args} and returns what it printed.
     *
     * @throws IllegalStateException when it exits with a non-zero status (the message holds its stderr)
     */
    public static String runFile(Path file, Object... args) {
        return succeeded(execPython(file.toString(), args));
    }

    private static Object[] prepend(Object first, Object[] rest) {
        Object[] all = new Object[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    private static String succeeded(ScriptRun result) {
        if (!result.ok()) {
            throw new IllegalStateException("python failed: " + result.describe());
        }
        return result.stdout();
    }

    /** {@code python first args...}, failing with what to install when a module is missing. */
    private static ScriptRun execPython(String first, Object... args) {
        List<String> command = new ArrayList<>();
        command.add(python().toString());
        command.add(first);
        for (Object a : args) {
            command.add(a.toString());
        }
        ScriptRun result = start(command);
        if (!result.ok() && MISSING_MODULE.matcher(result.stderr()).find()) {
            throw missing(result.describe());
        }
        return result;
    }

    /**
     * The corpus made by {@code interop/make_corpus.py}: one file per case and a {@code manifest.json}
     * (see the script for its fields).
     */
    public static Path corpus() {
        synchronized (LOCK) {
            if (corpus == null) {
                Path dir = moduleTarget().resolve("interop-corpus");
                generate(dir, "make_corpus.py", manifest -> true, dir.toString());
                corpus = dir;
            }
            return corpus;
        }
    }

    /** A file of the corpus, by name (for example {@code "views.pth"}). */
    public static Path corpusFile(String name) {
        Path file = corpus().resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no corpus file " + name + " in " + corpus());
        }
        return file;
    }

    /** The corpus's {@code manifest.json}, parsed. */
    public static Map<String, Object> corpusManifest() {
        return readManifest(corpus());
    }

    /** The names of the corpus files, in manifest order. */
    public static List<String> corpusFiles() {
        return fileNames(corpusManifest());
    }

    /**
     * The hostile and broken files made by {@code interop/make_hostile.py}, with a {@code manifest.json}.
     * Loading one of its code-execution files with {@code torch.load} would create a file in
     * {@link #hostileMarkerDir()}; markers left by earlier runs are removed once per JVM.
     */
    public static Path hostileCorpus() {
        synchronized (LOCK) {
            if (hostile == null) {
                Path dir = moduleTarget().resolve("interop-hostile");
                Path markers = hostileMarkerDir();
                generate(dir, "make_hostile.py",
                        manifest -> markers.toString().equals(manifest.get("marker_dir")),
                        dir.toString(), markers.toString());
                deleteContents(markers);
                hostile = dir;
            }
            return hostile;
        }
    }

    /** Where the hostile files' payloads would create their marker files if they ever ran. */
    public static Path hostileMarkerDir() {
        return moduleTarget().resolve("interop-hostile-markers").toAbsolutePath();
    }

    /** The hostile corpus's {@code manifest.json}, parsed. */
    public static Map<String, Object> hostileManifest() {
        return readManifest(hostileCorpus());
    }

    /**
     * What {@code pith inspect FILE --json} must print for {@code file}, according to the real
     * {@code torch.load} (or a direct parse for {@code .safetensors}). Never call this on a file
     * you do not trust: it unpickles with {@code weights_only=False}. Answers for the files of
     * {@link #corpus()} are remembered for the life of the JVM; other files are described afresh
     * on every call.
     */
    public static String describe(Path file) {
        return describeAll(List.of(file), false).getFirst();
    }

    /** {@link #describe} with per-tensor storage facts, Parameter flags and container types (see describe.py). */
    public static String describeExtra(Path file) {
        return describeAll(List.of(file), true).getFirst();
    }

    /**
     * {@link #describe} (or {@link #describeExtra}) of several files with one start of Python,
     * in the order given. Use it to warm the cache before many single calls.
     */
    public static List<String> describeAll(List<Path> files, boolean extra) {
        List<DescribeKey> keys = files.stream().map(f -> DescribeKey.of(f, extra)).toList();
        List<DescribeKey> missing = keys.stream().filter(k -> !DESCRIBED.containsKey(k)).distinct().toList();
        Map<DescribeKey, String> fresh = new LinkedHashMap<>();
        if (!missing.isEmpty()) {
            List<String> args = new ArrayList<>(missing.stream().map(k -> k.path().toString()).toList());
            if (extra) {
                args.add("--extra");
            }
            List<String> lines = run("describe.py", args.toArray(String[]::new)).lines().toList();
            if (lines.size() != missing.size()) {
                throw new IllegalStateException("describe.py printed " + lines.size() + " lines for " + missing.size() + " files");
            }
            for (int i = 0; i < lines.size(); i++) {
                fresh.put(missing.get(i), lines.get(i));
                if (isInCorpus(missing.get(i).path())) {
                    DESCRIBED.put(missing.get(i), lines.get(i));
                }
            }
        }
        return keys.stream().map(k -> fresh.containsKey(k) ? fresh.get(k) : DESCRIBED.get(k)).toList();
    }

    /** Loads {@code file} with the real {@code torch.load}, with {@code weights_only=True} when asked. */
    public static ScriptRun checkLoad(Path file, boolean weightsOnly) {
        String path = file.toAbsolutePath().toString();
        return weightsOnly ? exec("check_load.py", path, "--weights-only") : exec("check_load.py", path);
    }

    /**
     * Loads each file with the real {@code torch.load} in one start of Python. Returns, per file in
     * the order given, {@code "ok"} or {@code "error: <type>: <message>"}.
     */
    public static Map<Path, String> checkLoadAll(List<Path> files, boolean weightsOnly) {
        if (files.size() == 1) {
            ScriptRun one = checkLoad(files.getFirst(), weightsOnly);
            return Map.of(files.getFirst(), one.ok() ? "ok" : one.stderr().strip());
        }
        List<String> args = new ArrayList<>(files.stream().map(f -> f.toAbsolutePath().toString()).toList());
        if (weightsOnly) {
            args.add("--weights-only");
        }
        ScriptRun run = exec("check_load.py", args.toArray(String[]::new));
        List<String> lines = run.stdout().lines().toList();
        if (lines.size() != files.size()) {
            throw new IllegalStateException("check_load.py gave " + lines.size() + " answers for " + files.size()
                    + " files: " + run.describe());
        }
        Map<Path, String> results = new LinkedHashMap<>();
        for (int i = 0; i < files.size(); i++) {
            String prefix = args.get(i) + "\t";
            if (!lines.get(i).startsWith(prefix)) {
                throw new IllegalStateException("unexpected check_load.py line for " + args.get(i) + ": " + lines.get(i));
            }
            results.put(files.get(i), lines.get(i).substring(prefix.length()));
        }
        return results;
    }

    /**
     * Fails with what to install unless {@link #python()} can import torch, torchvision and numpy.
     * Every script run checks this too, at no extra cost.
     */
    public static void requireTorch() {
        ScriptRun check = start(List.of(python().toString(), "-c", "import torch, torchvision, numpy"));
        if (!check.ok()) {
            throw missing(check.describe());
        }
    }

    private static IllegalStateException missing(String why) {
        return new IllegalStateException("The interop tests run the real PyTorch, and could not: " + why
                + "\nInstall python3-torch, python3-torchvision, python3-numpy and python3-onnx (apt) or torch, "
                + "torchvision, numpy and onnx (pip) for that interpreter, or point -Dpith.python=/path/to/python at one that has them.");
    }

    /** What is described: a file, plainly or with --extra. */
    private record DescribeKey(Path path, boolean extra) {
        static DescribeKey of(Path file, boolean extra) {
            Path path = file.toAbsolutePath().normalize();
            if (!Files.isRegularFile(path)) {
                throw new IllegalArgumentException("cannot describe " + path + ": no such file");
            }
            return new DescribeKey(path, extra);
        }
    }

    /** Corpus files are written once per JVM and never change after; only they are cached. */
    private static boolean isInCorpus(Path file) {
        synchronized (LOCK) {
            return corpus != null && file.startsWith(corpus.toAbsolutePath().normalize());
        }
    }

    // -----------------------------------------------------------------------------------------

    private interface ManifestCheck {
        boolean fits(Map<String, Object> manifest);
    }

    /** Runs the generator into {@code dir} unless a fresh, complete result is already there. */
    private static void generate(Path dir, String script, ManifestCheck check, String... args) {
        try {
            Files.createDirectories(dir.getParent());
            Path lockFile = dir.resolveSibling(dir.getFileName() + ".lock");
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                if (isFresh(dir, interopDir().resolve(script), check)) {
                    return;
                }
                deleteContents(dir);
                Files.createDirectories(dir);
                run(script, args);
                if (!isFresh(dir, interopDir().resolve(script), check)) {
                    throw new IllegalStateException(script + " did not write a complete " + dir.resolve("manifest.json"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isFresh(Path dir, Path script, ManifestCheck check) throws IOException {
        Path manifest = dir.resolve("manifest.json");
        if (!Files.isRegularFile(manifest)
                || Files.getLastModifiedTime(manifest).compareTo(Files.getLastModifiedTime(script)) <= 0) {
            return false;
        }
        Map<String, Object> parsed;
        try {
            parsed = readManifest(dir);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            return false;
        }
        return check.fits(parsed) && fileNames(parsed).stream().allMatch(name -> Files.isRegularFile(dir.resolve(name)));
    }

    private static Map<String, Object> readManifest(Path dir) {
        try {
            return Json.parseObject(Files.readString(dir.resolve("manifest.json")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> fileNames(Map<String, Object> manifest) {
        return Json.asArray(manifest.get("files")).stream().map(entry -> (String) Json.asObject(entry).get("file")).toList();
    }

    private static ScriptRun start(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        builder.environment().put("PYTHONHASHSEED", "0");
        builder.environment().put("PYTHONIOENCODING", "utf-8");
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw missing("cannot start " + command.getFirst() + ": " + e.getMessage());
        }
        try {
            process.getOutputStream().close();  // the scripts read nothing
        } catch (IOException ignored) {
            // a process that already exited has no input to close
        }
        CompletableFuture<String> stdout = readAsync(process.getInputStream());
        CompletableFuture<String> stderr = readAsync(process.getErrorStream());
        try {
            if (!process.waitFor(PROCESS_LIMIT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("gave up after " + PROCESS_LIMIT_MINUTES + " minutes: " + String.join(" ", command));
            }
            return new ScriptRun(command, process.exitValue(), stdout.join(), stderr.join());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        }
    }

    private static CompletableFuture<String> readAsync(InputStream in) {
        CompletableFuture<String> text = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (in) {
                text.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                text.completeExceptionally(e);
            }
        });
        return text;
    }

    /** The calling module's {@code target/} folder (from the {@code basedir} property, else the working directory). */
    public static Path moduleTarget() {
        String basedir = System.getProperty("basedir");
        Path module = basedir != null && !basedir.isBlank() ? Path.of(basedir) : Path.of(System.getProperty("user.dir"));
        return module.toAbsolutePath().resolve("target");
    }

    private static Path findRepoAbove(Path start) {
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("interop").resolve("make_corpus.py"))) {
                return dir;
            }
        }
        return null;
    }

    /** Deletes everything inside {@code dir} (not {@code dir} itself); nothing when it is not a folder. */
    public static void deleteContents(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(dir)).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
