package dev.pith.io.pickle;

import java.util.Set;

/**
 * Globals known to run code, touch files or processes, or reach arbitrary objects when a pickle
 * calls them: whole modules such as {@code os}, {@code subprocess} or {@code pickle}, and single
 * functions such as {@code builtins.eval} or {@code operator.attrgetter}. The unpickler never calls
 * any of them whatever this list says (only a {@link GlobalResolver} can map a name to code); the
 * list only decides whether a refusal is reported as {@code knownDangerous}, so it errs on the
 * generous side.
 *
 * <pre>{@code
 * UnsafeGlobals.isKnownDangerous("posix", "system");   // true
 * UnsafeGlobals.isKnownDangerous("collections", "OrderedDict"); // false
 * }</pre>
 */
public final class UnsafeGlobals {
    /** Modules every name of which is dangerous, and so are their submodules ({@code os.path}, ...). */
    private static final Set<String> MODULES = Set.of(
            "os", "posix", "nt", "posixpath", "ntpath", "sys", "subprocess", "_posixsubprocess", "runpy", "pty",
            "shutil", "socket", "_socket", "importlib", "imp", "zipimport", "pkgutil", "pickle", "_pickle",
            "cPickle", "dill", "cloudpickle", "joblib", "shelve", "marshal", "code", "codeop", "commands",
            "webbrowser", "ctypes", "_ctypes", "platform", "multiprocessing", "_multiprocessing", "signal",
            "asyncio.subprocess", "asyncio.unix_events", "asyncio.windows_utils", "concurrent", "threading",
            "_thread", "pdb", "bdb", "timeit", "profile", "cProfile", "trace", "doctest", "tempfile", "glob",
            "io", "_io", "fileinput", "http", "urllib", "urllib2", "ftplib", "smtplib", "telnetlib", "ssl",
            "xmlrpc", "sqlite3", "gc", "inspect", "types", "ensurepip", "venv", "distutils", "setuptools",
            "site", "torch._C", "torch.hub", "torch.jit", "torch.package",
            "torch.utils.cpp_extension", "torch.ops", "numpy.ctypeslib", "numpy.distutils", "numpy.f2py",
            "numpy.testing");

    /** Single globals ({@code module.name}) that are dangerous in otherwise harmless modules. */
    private static final Set<String> NAMES = Set.of(
            "builtins.eval", "builtins.exec", "builtins.compile", "builtins.open", "builtins.__import__",
            "builtins.getattr", "builtins.setattr", "builtins.delattr", "builtins.hasattr", "builtins.globals",
            "builtins.locals", "builtins.vars", "builtins.breakpoint", "builtins.input", "builtins.exit",
            "builtins.quit", "builtins.type", "builtins.super", "builtins.execfile", "builtins.file",
            "builtins.reload", "builtins.apply",
            "pkgutil.resolve_name", "operator.attrgetter", "operator.methodcaller", "operator.itemgetter",
            "operator.getitem", "operator.call", "functools.partial", "functools.reduce", "functools.wraps",
            "copyreg._reconstructor", "copyreg.__newobj__", "copyreg.__newobj_ex__",
            "asyncio.create_subprocess_exec", "asyncio.create_subprocess_shell", "torch.load", "torch.save",
            "torch.serialization.load", "torch.serialization.save", "torch.classes", "torch.compile",
            "numpy.load", "numpy.save", "numpy.loadtxt", "numpy.fromfile", "numpy.memmap", "numpy.lib.npyio.load",
            "codecs.open", "logging.config.listen",
            "code.interact");

    private UnsafeGlobals() {
    }

    /** Dotted paths of more segments are called dangerous without looking further. */
    private static final int MAX_SEGMENTS = 64;
    /** Longer names are not classified (they are refused as unknown all the same). */
    private static final int MAX_LENGTH = 1024;

    /**
     * Whether {@code module.name} is known to be dangerous, or looks like a name that is:
     * <ul>
     *   <li>the module (or a parent package of it) is on the module list, or {@code module.name} is
     *       on the name list;</li>
     *   <li>a dotted path reaches one: protocol 4 resolves {@code ('torch.serialization', 'os.system')}
     *       attribute by attribute to {@code os.system}, so every run of segments is checked
     *       ({@code os.system} inside {@code torch.serialization.os.system});</li>
     *   <li>the same holds after removing whitespace and NFKC normalisation, which catches padded
     *       names ({@code "os "}) and look-alikes written in fullwidth or other compatibility letters.</li>
     * </ul>
     * This only classifies a refusal (every name outside the allow-list is refused anyway); the
     * allow-list itself compares exact strings.
     */
    public static boolean isKnownDangerous(String module, String name) {
        if (module == null || name == null || module.length() + name.length() > MAX_LENGTH) {
            return false;
        }
        if (dangerousPath(module + "." + name)) {
            return true;
        }
        String normalized = normalize(module) + "." + normalize(name);
        return !normalized.equals(module + "." + name) && dangerousPath(normalized);
    }

    /** Whether any run of segments of the dotted {@code path} is a dangerous module or module.name. */
    private static boolean dangerousPath(String path) {
        if (path.length() > MAX_LENGTH) {
            return false;
        }
        String[] segments = path.split("\\.", -1);
        if (segments.length > MAX_SEGMENTS) {
            return true;
        }
        for (int from = 0; from < segments.length; from++) {
            StringBuilder run = new StringBuilder();
            for (int to = from; to < segments.length; to++) {
                if (to > from && NAMES.contains(run + "." + segments[to])) {
                    return true;
                }
                run.append(to > from ? "." : "").append(segments[to]);
                if (MODULES.contains(run.toString())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String normalize(String s) {
        String nfkc = java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFKC);
        StringBuilder out = new StringBuilder(nfkc.length());
        nfkc.codePoints().filter(c -> !Character.isWhitespace(c) && !Character.isSpaceChar(c) && !Character.isISOControl(c))
                .forEach(out::appendCodePoint);
        return out.toString();
    }
}
