package dev.pith;

/**
 * A pickle names a global (a Python function or class) that Pith will not resolve: either one
 * known to run code ({@code os.system}, {@code builtins.eval}, {@code subprocess.Popen}, ...) or
 * one that is simply not on the allow-list. Nothing of it has run: Pith's unpickler can only call
 * the Java functions registered for allowed names.
 */
public class UnsafePickleException extends FileFormatException {
    private final String global;
    private final String writtenAs;
    private final boolean knownDangerous;

    /**
     * @param global         {@code module.name} in Python 3 spelling
     * @param knownDangerous whether the name is on the list of globals PyTorch blocks outright
     */
    public UnsafePickleException(String file, String record, long offset, String global, boolean knownDangerous) {
        this(file, record, offset, global, global, knownDangerous);
    }

    /**
     * @param global         {@code module.name} in Python 3 spelling
     * @param writtenAs      {@code module.name} as the pickle spells it (a protocol-2 pickle writes
     *                       {@code __builtin__.eval} for {@code builtins.eval})
     * @param knownDangerous whether the name is on the list of globals PyTorch blocks outright
     */
    public UnsafePickleException(String file, String record, long offset, String global, String writtenAs,
                                 boolean knownDangerous) {
        super(file, record, offset, (knownDangerous ? "unsafe global " : "unknown global ")
                + (writtenAs.equals(global) ? global : writtenAs + " (" + global + ")")
                + (knownDangerous ? ": it could run code; refused, nothing was executed"
                        : ": not on the allow-list; refused, nothing was executed"));
        this.global = global;
        this.writtenAs = writtenAs;
        this.knownDangerous = knownDangerous;
    }

    /** The refused global as {@code module.name}, in Python 3 spelling. */
    public String global() {
        return global;
    }

    /** The refused global as the pickle spells it. */
    public String writtenAs() {
        return writtenAs;
    }

    /** True when the global is one PyTorch's safe loader blocks outright (os, subprocess, eval, ...). */
    public boolean knownDangerous() {
        return knownDangerous;
    }

    @Override
    protected FileFormatException relocate(String file, String record) {
        return new UnsafePickleException(file, record, offset(), global, writtenAs, knownDangerous);
    }
}
