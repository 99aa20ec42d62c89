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

    /**
     * Whether {@code module.name} is known to be dangerous: the module (or a parent package of it) is
     * on the module list, or the exact name is on the name list. Names are compared as whole strings,
     * never split further.
     */
    public static boolean isKnownDangerous(String module, String name) {
        if (module == null || name == null) {
            return false;
        }
        if (NAMES.contains(module + "." + name)) {
            return true;
        }
        for (int dot = module.length(); dot > 0; dot = module.lastIndexOf('.', dot - 1)) {
            if (MODULES.contains(module.substring(0, dot))) {
                return true;
            }
        }
        return false;
    }
}
