package dev.pith.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Loads and saves torchvision's vgg16 state_dict (553 MB) with Pith and with the real PyTorch on the
 * same file and machine, interleaved round by round, each operation in a fresh process, next to
 * the physical floor (a plain read of the file; a plain write plus fsync of the same bytes; and
 * the fastest forced write of them, {@code O_DIRECT} from aligned memory by two threads, which
 * shows what any forced save can reach on the disk at hand). Every save writes a new file on a quiet disk (the previous output removed and the file system
 * synced beforehand, untimed). Reports medians, peak resident memory and the ratios the goals
 * are stated in.
 *
 * <p>Run: {@code ./pith bench io [--runs N] [--file F.pth]}. Without {@code --file}, the state dict is
 * made once by PyTorch ({@code torchvision.models.vgg16()}, seed 0, no download) under
 * {@code pith-bench/target/}.
 */
public final class IoBench {
    private final Path file;
    private final Path scratch;
    private final String python;
    private final Path torchScript;
    private final Map<String, List<double[]>> samples = new LinkedHashMap<>();

    private IoBench(Path file, Path scratch, String python, Path torchScript) {
        this.file = file;
        this.scratch = scratch;
        this.python = python;
        this.torchScript = torchScript;
    }

    public static void main(String[] args) throws Exception {
        int runs = 15;
        Path repo = Path.of(System.getProperty("pith.repo", ".")).toAbsolutePath();
        Path file = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--file" -> file = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        String python = System.getProperty("pith.python", "/usr/bin/python3");
        Path script = repo.resolve("interop/bench_torch.py");
        Path scratch = repo.resolve("pith-bench/target/bench-io");
        Files.createDirectories(scratch);
        if (file == null) {
            file = repo.resolve("pith-bench/target/vgg16_state_dict.pth");
            if (!Files.exists(file)) {
                System.out.println("making " + file + " with PyTorch (torchvision vgg16, random init)...");
                run(List.of(python, script.toString(), "make-vgg16", file.toString()));
            }
        }
        IoBench bench = new IoBench(file, scratch, python, script);
        bench.measure(runs);
        System.out.print(bench.report(runs));
    }

    private void measure(int runs) throws IOException, InterruptedException {
        String f = file.toString();
        String out = scratch.resolve("out.pth").toString();
        for (int round = 0; round < runs; round++) {
            System.out.println("round " + (round + 1) + "/" + runs);
            sample("pith load (copy)", java("load", f));
            sample("torch.load", List.of(python, torchScript.toString(), "load", f));
            sample("plain read", java("read", f));
            sample("pith load (mmap)", java("load-mmap", f));
            quietDisk();
            sample("pith save (fsync)", java("save", f, out));
            quietDisk();
            sample("torch.save", List.of(python, torchScript.toString(), "save", f, out));
            quietDisk();
            sample("plain write+fsync", java("write", f, out));
            quietDisk();
            sample("direct write+fsync", java("write-direct", f, out));
        }
        quietDisk();
    }

    /**
     * Before each save, untimed: removes the previous output (and anything a save left beside it)
     * and syncs the file system, so that every writer starts from the same state: a new file on a
     * disk with nothing pending (no blocks of a replaced file still to free and discard).
     */
    private void quietDisk() throws IOException, InterruptedException {
        try (var leftovers = Files.newDirectoryStream(scratch, p -> p.getFileName().toString().contains("out.pth"))) {
            for (Path p : leftovers) {
                Files.deleteIfExists(p);
            }
        }
        Process sync = new ProcessBuilder("sync").inheritIO().start();
        if (sync.waitFor() != 0) {
            throw new IOException("sync failed");
        }
    }

    private static List<String> java(String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-Xmx3g", "-XX:MaxDirectMemorySize=64g",
                "-cp", System.getProperty("java.class.path"), OneShot.class.getName()));
        cmd.addAll(Arrays.asList(args));
        return cmd;
    }

    private void sample(String name, List<String> command) throws IOException, InterruptedException {
        String[] parts = run(command).strip().split("\\s+");
        samples.computeIfAbsent(name, k -> new ArrayList<>())
                .add(new double[]{Double.parseDouble(parts[0]), Double.parseDouble(parts[1])});
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("failed (" + p.exitValue() + "): " + String.join(" ", command));
        }
        String[] lines = out.strip().split("\n");
        return lines[lines.length - 1];
    }

    private double median(String name, int column) {
        double[] v = samples.get(name).stream().mapToDouble(s -> s[column]).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private String report(int runs) throws IOException {
        StringBuilder b = new StringBuilder();
        long size = Files.size(file);
        b.append(String.format(Locale.ROOT, "%nfile: %s (%.1f MB), %d interleaved rounds, medians, %d cores%n%n",
                file.getFileName(), size / 1e6, runs, Runtime.getRuntime().availableProcessors()));
        b.append(String.format(Locale.ROOT, "| %-20s | %10s | %15s | %14s |%n", "operation", "median s", "range s",
                "peak RSS MB"));
        b.append("|----------------------|------------|-----------------|----------------|\n");
        for (String name : samples.keySet()) {
            b.append(String.format(Locale.ROOT, "| %-20s | %10.3f | %6.3f - %6.3f | %14.0f |%n", name, median(name, 0),
                    extreme(name, false), extreme(name, true), median(name, 1) / 1e6));
        }
        double load = median("pith load (copy)", 0);
        double torchLoad = median("torch.load", 0);
        double read = median("plain read", 0);
        double mmap = median("pith load (mmap)", 0);
        double save = median("pith save (fsync)", 0);
        double torchSave = median("torch.save", 0);
        double write = median("plain write+fsync", 0);
        b.append('\n');
        b.append(goal("copying load vs torch.load: torch.load / pith", torchLoad / load, ">= 1.5x faster", torchLoad / load >= 1.5));
        b.append(goal("copying load vs plain read: pith / read", load / read, "<= 1.25", load / read <= 1.25));
        b.append(goal("mmap load vs torch.load: pith / torch.load", mmap / torchLoad, "< 0.05", mmap / torchLoad < 0.05));
        b.append(goal("save (fsync) vs torch.save: pith / torch", save / torchSave, "<= 1.0", save / torchSave <= 1.0));
        b.append(goal("save vs plain write+fsync: pith / write", save / write, "<= 1.25", save / write <= 1.25));
        b.append(pairs("pith save (fsync)", "torch.save"));
        double direct = median("direct write+fsync", 0);
        b.append(String.format(Locale.ROOT, "- the fastest forced write of the same bytes (O_DIRECT, no pickling, no copy) vs torch.save: "
                + "%.3f; pith save vs it: %.3f (no goal: what a forced save can reach on this disk)%n", direct / torchSave, save / direct));
        double extra = (median("pith load (copy)", 1) - median("plain read", 1)) / size;
        b.append(String.format(Locale.ROOT, "- copying load peak RSS minus plain read's, in file sizes: %.2f "
                + "(plain read holds one copy of the file; > 0.5 would mean a second copy)%n", extra));
        Path results = scratch.resolve("results.md");
        Files.writeString(results, b.toString());
        b.append("\n(written to ").append(results).append(")\n");
        return b.toString();
    }

    private double extreme(String name, boolean max) {
        var times = samples.get(name).stream().mapToDouble(s -> s[0]);
        return max ? times.max().orElseThrow() : times.min().orElseThrow();
    }

    /** Round by round (the two ran back to back, on the same host weather): how often {@code a} was the faster. */
    private String pairs(String a, String b) {
        List<double[]> as = samples.get(a);
        List<double[]> bs = samples.get(b);
        double[] ratios = new double[as.size()];
        int faster = 0;
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = as.get(i)[0] / bs.get(i)[0];
            faster += ratios[i] <= 1 ? 1 : 0;
        }
        java.util.Arrays.sort(ratios);
        return String.format(Locale.ROOT, "- %s vs %s round by round: faster or equal in %d of %d rounds, ratios %.2f to %.2f%n",
                a, b, faster, ratios.length, ratios[0], ratios[ratios.length - 1]);
    }

    private static String goal(String what, double ratio, String target, boolean met) {
        return String.format(Locale.ROOT, "- %s = %.3f (goal %s): %s%n", what, ratio, target, met ? "met" : "NOT met");
    }
}
