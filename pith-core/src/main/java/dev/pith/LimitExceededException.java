package dev.pith;

/**
 * A file asks for more than a configured limit allows (memo entries, nesting depth, a declared
 * string or record length, header size, tensor count). Limits protect against hostile input that
 * would otherwise exhaust memory; callers can raise them where they trust a large file.
 */
public class LimitExceededException extends FileFormatException {
    public LimitExceededException(String file, String record, long offset, String what) {
        super(file, record, offset, what);
    }

    @Override
    protected FileFormatException relocate(String file, String record) {
        return new LimitExceededException(file, record, offset(), what());
    }
}
