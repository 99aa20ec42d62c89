package dev.pith.cli;

import dev.pith.io.pickle.PickleScanner;
import dev.pith.io.pickle.PickleScanner.GlobalRef;
import dev.pith.io.torch.TorchScan;
import dev.pith.io.torch.TorchScan.FileReport;
import dev.pith.io.torch.TorchScan.PickleReport;
import dev.pith.io.torch.TorchScan.Verdict;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code pith scan FILE... [--json]}: lists every global and every kind of opcode the pickles of
 * each file use (the zip format's {@code data.pkl} and every other {@code .pkl} record, each of the
 * legacy format's pickles, pickles hidden after another's STOP), without loading or building
 * anything, and marks each global {@code allowed} (Pith's loader resolves it), {@code unsafe} (known
 * to run code, dynamic, or an extension code) or {@code unknown} (not on the allow-list). Useful in
 * a model registry's upload hook.
 *
 * <p>Exit status: {@value #CLEAN} when every file is clean; {@value #UNSAFE} when any file has an
 * unsafe or unknown global or holds TorchScript code; {@value #BROKEN} when none is unsafe but some
 * file cannot be read to its end (not a model file, truncated, malformed pickle); 2 for usage errors.
 */
@Command(name = "scan", mixinStandardHelpOptions = true,
        description = {"List the globals and opcode kinds of every pickle in model files without loading them,",
                "marking globals outside Pith's allow-list. Exit status: 0 clean, 1 unsafe or unknown globals"
                        + " (or TorchScript code), 3 unreadable, 2 usage."})
final class ScanCommand implements Callable<Integer> {
    static final int CLEAN = 0;
    static final int UNSAFE = 1;
    static final int BROKEN = 3;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "The files to scan.")
    List<Path> files;

    @Option(names = "--json", description = "Print one JSON object: {\"files\": [{file, format, verdict, findings, pickles:"
            + " [{record, offset, protocol, complete, opcodes, classes, problems, globals: [{global, written_as, opcode,"
            + " offset, status}]}]}]}.")
    boolean json;

    @Override
    public Integer call() {
        List<FileReport> reports = new ArrayList<>();
        for (Path file : files) {
            reports.add(TorchScan.scan(file));
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            writeJson(reports, out);
        } else {
            reports.forEach(r -> writeText(r, out));
        }
        out.flush();
        boolean unsafe = reports.stream().anyMatch(r -> r.verdict() == Verdict.UNSAFE);
        boolean broken = reports.stream().anyMatch(r -> r.verdict() == Verdict.BROKEN);
        return unsafe ? UNSAFE : broken ? BROKEN : CLEAN;
    }

    private static String verdict(Verdict v) {
        return v.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String status(GlobalRef g) {
        return g.status().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static void writeText(FileReport r, PrintWriter out) {
        out.println(r.file() + ": " + verdict(r.verdict()) + (r.format() == null ? "" : " (" + r.format().label() + ", "
                + r.pickles().size() + " pickle" + (r.pickles().size() == 1 ? "" : "s") + ")"));
        for (String f : r.findings()) {
            out.println("  ! " + f);
        }
        for (PickleReport p : r.pickles()) {
            out.println("  " + (p.record() == null ? "pickle" : p.record()) + " @" + p.scan().start() + ": protocol "
                    + p.scan().protocol() + ", opcodes " + String.join(" ", p.scan().opcodeClasses()));
            for (GlobalRef g : p.scan().globals()) {
                out.println("    " + status(g) + "  " + g.writtenAs()
                        + (g.writtenAs().equals(g.qualifiedName()) ? "" : " (" + g.qualifiedName() + ")")
                        + "  [" + g.opcode() + " at " + g.offset() + "]");
            }
            for (String problem : p.scan().problems()) {
                out.println("    ! " + problem);
            }
        }
    }

    private static void writeJson(List<FileReport> reports, PrintWriter out) {
        JsonWriter w = new JsonWriter(out);
        w.beginObject(true).name("files").beginArray(true);
        for (FileReport r : reports) {
            w.beginObject().name("file").value(r.file().toString())
                    .name("format");
            if (r.format() == null) {
                w.nullValue();
            } else {
                w.value(r.format().label());
            }
            w.name("verdict").value(verdict(r.verdict()));
            w.name("findings").beginArray();
            r.findings().forEach(w::value);
            w.endArray().name("pickles").beginArray();
            for (PickleReport p : r.pickles()) {
                PickleScanner.PickleScan s = p.scan();
                w.beginObject().name("record");
                if (p.record() == null) {
                    w.nullValue();
                } else {
                    w.value(p.record());
                }
                w.name("offset").value(s.start()).name("protocol").value(s.protocol()).name("complete").value(s.complete());
                w.name("opcodes").beginObject();
                for (Map.Entry<String, Long> e : s.opcodes().entrySet()) {
                    w.name(e.getKey()).value(e.getValue());
                }
                w.endObject().name("classes").beginArray();
                s.opcodeClasses().forEach(w::value);
                w.endArray().name("problems").beginArray();
                s.problems().forEach(w::value);
                w.endArray().name("globals").beginArray();
                for (GlobalRef g : s.globals()) {
                    w.beginObject().name("global").value(g.qualifiedName()).name("written_as").value(g.writtenAs())
                            .name("opcode").value(g.opcode()).name("offset").value(g.offset())
                            .name("status").value(status(g)).endObject();
                }
                w.endArray().endObject();
            }
            w.endArray().endObject();
        }
        w.endArray().endObject().finish();
    }
}
