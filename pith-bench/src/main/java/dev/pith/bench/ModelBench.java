package dev.pith.bench;

import dev.pith.autograd.GradMode;
import dev.pith.io.npy.Npy;
import dev.pith.io.torch.Torch;
import dev.pith.models.Models;
import dev.pith.nn.Init;
import dev.pith.nn.CrossEntropyLoss;
import dev.pith.nn.Module;
import dev.pith.optim.SGD;
import dev.pith.tensor.StateDict;
import dev.pith.tensor.Tensor;

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
 * Eval-mode forward passes, and training steps, of the same models, weights and inputs in Pith and
 * in PyTorch (2 threads each, after 3 s of warm-up runs on both sides, which lets the JIT reach its
 * steady state), alternating the two processes, reported as medians and ratios. Goals (issue 3):
 * ResNet-18 batch 8 224x224 within 1.5x of PyTorch; the CIFAR-10 Net faster than PyTorch. The
 * training steps ({@code train_<case>}: train mode, zero the gradients, forward, cross entropy
 * against labels {@code i % 10}, backward, an SGD step with momentum) have no goal; they are
 * reported so that training speed is measured, not guessed.
 *
 * <p>Run: {@code ./pith bench models [--reps N] [--rounds R]}. The process measuring Pith runs this
 * class with {@code --measure DIR REPS}.
 */
public final class ModelBench {
    private static final String[][] CASES = {
            {"resnet18_b8", "resnet18"}, {"cifar_net_b1", "cifar-net"}, {"cifar_net_b4", "cifar-net"},
            {"cifar_net_b32", "cifar-net"}};
    /** Cases also timed as training steps. */
    private static final List<String> TRAINING_CASES = List.of("resnet18_b8", "cifar_net_b32");

    /** Both sides run each case for this long (and at least 3 times) before timing: the JIT's steady state. */
    private static final long WARM_UP_NANOS = 3_000_000_000L;

    private ModelBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--measure")) {
            measure(Path.of(args[1]), Integer.parseInt(args[2]));
            return;
        }
        int reps = 20;
        int rounds = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Path repo = Path.of(System.getProperty("pith.repo", ".")).toAbsolutePath();
        String python = System.getProperty("pith.python", "/usr/bin/python3");
        String script = repo.resolve("interop/bench_models.py").toString();
        Path dir = repo.resolve("pith-bench/target/bench-models");
        Files.createDirectories(dir);
        run(List.of(python, script, "make", dir.toString()));
        Map<String, List<Double>> pith = new LinkedHashMap<>();
        Map<String, List<Double>> torch = new LinkedHashMap<>();
        for (int r = 0; r < rounds; r++) {
            System.out.println("round " + (r + 1) + "/" + rounds);
            collect(run(javaCommand(dir, reps)), pith);
            collect(run(List.of(python, script, "time", dir.toString(), Integer.toString(reps))), torch);
        }
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "%neval forward and training steps, 2 threads, 3 s warm-up, medians of %d runs per process, best process of %d%n%n",
                reps, rounds));
        b.append(String.format(Locale.ROOT, "| %-19s | %10s | %10s | %12s |%n", "case", "pith ms", "torch ms", "pith / torch"));
        b.append("|---------------------|------------|------------|--------------|\n");
        for (String name : pith.keySet()) {
            double p = min(pith.get(name));
            double t = min(torch.get(name));
            b.append(String.format(Locale.ROOT, "| %-19s | %10.2f | %10.2f | %12.2f |%n", name, p * 1e3, t * 1e3, p / t));
        }
        double resnet = min(pith.get("resnet18_b8")) / min(torch.get("resnet18_b8"));
        b.append(String.format(Locale.ROOT, "%n- resnet18 batch 8: pith / torch = %.2f (goal <= 1.5): %s%n", resnet,
                resnet <= 1.5 ? "met" : "NOT met"));
        for (String c : List.of("cifar_net_b1", "cifar_net_b4", "cifar_net_b32")) {
            double ratio = min(pith.get(c)) / min(torch.get(c));
            b.append(String.format(Locale.ROOT, "- %s: pith / torch = %.2f (goal < 1): %s%n", c, ratio,
                    ratio < 1 ? "met" : "NOT met"));
        }
        Files.writeString(dir.resolve("results.md"), b.toString());
        System.out.print(b);
    }

    /** In the measuring JVM: loads each case's weights and input, times forward passes, then training steps. */
    private static void measure(Path dir, int reps) throws IOException {
        for (String[] c : CASES) {
            Module model = load(dir, c);
            model.eval();
            Tensor x = Npy.read(dir.resolve(c[0] + "_input.npy"));
            try (var noGrad = GradMode.noGrad()) {
                System.out.println(c[0] + " " + timed(() -> model.forward(x), reps));
            }
        }
        for (String[] c : CASES) {
            if (TRAINING_CASES.contains(c[0])) {
                Module model = load(dir, c);
                model.train();
                Tensor x = Npy.read(dir.resolve(c[0] + "_input.npy"));
                System.out.println("train_" + c[0] + " " + timed(trainingStep(model, x), reps));
            }
        }
    }

    private static Module load(Path dir, String[] c) throws IOException {
        Module model;
        try (var skip = Init.skipInit()) {
            var arch = Models.architecture(c[1]);
            model = arch.create(arch.defaultNumClasses());
        }
        model.loadStateDict(StateDict.of(Torch.load(dir.resolve(c[0] + ".pth"))), true);
        return model;
    }

    /** One step as the Python side's: zero the gradients, cross entropy against labels i % 10, backward, SGD. */
    private static Runnable trainingStep(Module model, Tensor x) {
        long[] labels = new long[(int) x.shape()[0]];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 10;
        }
        Tensor target = Tensor.fromLongs(labels, labels.length);
        CrossEntropyLoss criterion = new CrossEntropyLoss();
        SGD optimizer = new SGD(model.parameters(), SGD.options().lr(0.01).momentum(0.9));
        return () -> {
            optimizer.zeroGrad();
            criterion.forward(model.forward(x), target).backward();
            optimizer.step();
        };
    }

    /** Median seconds of {@code step} over {@code reps} runs, after the warm-up. */
    private static double timed(Runnable step, int reps) {
        long warmUntil = System.nanoTime() + WARM_UP_NANOS;
        for (int i = 0; i < 3 || System.nanoTime() < warmUntil; i++) {
            step.run();
        }
        double[] times = new double[reps];
        for (int i = 0; i < reps; i++) {
            long start = System.nanoTime();
            step.run();
            times[i] = (System.nanoTime() - start) / 1e9;
        }
        Arrays.sort(times);
        return times[reps / 2];
    }

    private static List<String> javaCommand(Path dir, int reps) {
        return List.of(ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED",
                "--add-modules", "jdk.incubator.vector", "-Dpith.threads=2", "-Xmx4g",
                "-cp", System.getProperty("java.class.path"), ModelBench.class.getName(), "--measure", dir.toString(),
                Integer.toString(reps));
    }

    private static void collect(String output, Map<String, List<Double>> into) {
        for (String line : output.strip().split("\n")) {
            String[] parts = line.strip().split("\\s+");
            if (parts.length == 2) {
                into.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(Double.parseDouble(parts[1]));
            }
        }
    }

    private static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("failed (" + p.exitValue() + "): " + String.join(" ", command));
        }
        return out;
    }
}
