package dev.pith.interop;

import dev.pith.io.safetensors.SafeTensors;
import dev.pith.io.torch.LoadOptions;
import dev.pith.io.torch.Torch;
import dev.pith.tensor.Tensor;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The child JVM of {@link HostileCorpusLoadTest}: loads every file of a hostile corpus (each with
 * a copying and a memory-mapped load) and prints one JSON line per load on stdout, saying what
 * came back or what was thrown, how long it took, and a short description of a loaded value.
 * A line {@code BEGIN <file> <mode>} precedes each load, so that a crash names the file.
 *
 * <p>Usage: {@code HostileLoadRunner CORPUS_DIR [FILE...]} (all files of the manifest by default).
 * Nothing is caught but {@link Throwable}: an escaping non-Pith exception or error is reported
 * as such, and the parent fails the test.
 */
public final class HostileLoadRunner {
    private HostileLoadRunner() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Set<String> only = args.length > 1 ? Set.of(java.util.Arrays.copyOfRange(args, 1, args.length)) : null;
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Map<String, Object> manifest = Json.parseObject(Files.readString(dir.resolve("manifest.json")));
        for (Object e : Json.asArray(manifest.get("files"))) {
            Map<String, Object> entry = Json.asObject(e);
            String name = (String) entry.get("file");
            if (only != null && !only.contains(name)) {
                continue;
            }
            boolean safetensors = "safetensors".equals(entry.get("loader"));
            for (boolean mmap : new boolean[]{false, true}) {
                String mode = mmap ? "mmap" : "copy";
                out.println("BEGIN " + name + " " + mode);
                System.gc();
                out.println(load(dir.resolve(name), name, mode, safetensors, mmap));
            }
        }
        out.println("END");
    }

    private static String load(Path file, String name, String mode, boolean safetensors, boolean mmap) {
        long start = System.nanoTime();
        Object value = null;
        Throwable thrown = null;
        try {
            value = safetensors ? SafeTensors.load(file, mmap).tensors()
                    : Torch.load(file, mmap ? LoadOptions.lazy() : LoadOptions.DEFAULTS);
        } catch (Throwable t) {
            thrown = t;
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        StringBuilder b = new StringBuilder("{\"file\":").append(quote(name)).append(",\"mode\":").append(quote(mode))
                .append(",\"ms\":").append(ms);
        if (thrown == null) {
            b.append(",\"outcome\":\"loaded\",\"value\":");
            describe(value, b, 0);
        } else {
            List<String> classes = new ArrayList<>();
            for (Class<?> c = thrown.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
                classes.add(quote(c.getSimpleName()));
            }
            b.append(",\"outcome\":\"refused\",\"classes\":[").append(String.join(",", classes)).append("]")
                    .append(",\"message\":").append(quote(String.valueOf(thrown.getMessage())));
        }
        return b.append("}").toString();
    }

    /** A loaded value in a few JSON levels: maps by key, tensors by dtype/shape/stride/first element. */
    private static void describe(Object v, StringBuilder b, int depth) {
        switch (v) {
            case null -> b.append("null");
            case Tensor t -> {
                b.append("{\"tensor\":{\"dtype\":").append(quote(t.dtype().torchName()))
                        .append(",\"rank\":").append(t.dim()).append(",\"shape\":").append(longs(t.shape()))
                        .append(",\"stride\":").append(longs(t.stride()));
                if (t.numel() > 0) {
                    b.append(",\"first\":").append(number(t.getDouble(new long[t.dim()])));
                }
                b.append("}}");
            }
            case Map<?, ?> m -> {
                b.append("{\"len\":").append(m.size());
                if (depth < 3 && m.keySet().stream().allMatch(String.class::isInstance)) {
                    b.append(",\"items\":{");
                    int n = 0;
                    for (Map.Entry<?, ?> e : m.entrySet()) {
                        if (n++ == 20) {
                            break;
                        }
                        b.append(n > 1 ? "," : "").append(quote((String) e.getKey())).append(":");
                        describe(e.getValue(), b, depth + 1);
                    }
                    b.append("}");
                }
                b.append("}");
            }
            case Boolean x -> b.append(x);
            case Long x -> b.append(x);
            case Double x -> b.append(number(x));
            case String s -> b.append(quote(s.length() > 100 ? s.substring(0, 100) : s));
            default -> b.append(quote(v.getClass().getSimpleName()));
        }
    }

    private static String number(double d) {
        return Double.isNaN(d) ? "\"nan\"" : Double.isInfinite(d) ? (d > 0 ? "\"inf\"" : "\"-inf\"") : Double.toString(d);
    }

    private static String longs(long[] values) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            b.append(i > 0 ? "," : "").append(values[i]);
        }
        return b.append("]").toString();
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20 || (c >= 0xD800 && c <= 0xDFFF)) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
