package dev.pith;

import java.util.Optional;

/**
 * A file (or a part of one) is not what its reader expects: truncated, corrupt, of an unknown or
 * unsupported format, or inconsistent with itself.
 *
 * <p>The message always names where: the file, the record inside it (a zip entry such as
 * {@code archive/data.pkl}, or a safetensors tensor name) and the byte offset, as far as they are
 * known. The same facts are available as fields for programs.
 */
public class FileFormatException extends PithException {
    private final String file;
    private final String record;
    private final long offset;

    /**
     * @param file   the file's name or path, or {@code null} when reading from memory
     * @param record the record (zip entry, tensor name) or {@code null}
     * @param offset the byte offset within the record (or the file when there is no record), or -1
     * @param what   what is wrong, in words
     */
    public FileFormatException(String file, String record, long offset, String what) {
        this(file, record, offset, what, null);
    }

    public FileFormatException(String file, String record, long offset, String what, Throwable cause) {
        super(describe(file, record, offset, what), cause);
        this.file = file;
        this.record = record;
        this.offset = offset;
    }

    /** A format error with no location yet; readers add it with {@link #at}. */
    public FileFormatException(String what) {
        this(null, null, -1, what);
    }

    /** The file, when known. */
    public Optional<String> file() {
        return Optional.ofNullable(file);
    }

    /** The record inside the file, when known. */
    public Optional<String> record() {
        return Optional.ofNullable(record);
    }

    /** The byte offset, or -1 when unknown. */
    public long offset() {
        return offset;
    }

    /** The bare description, without the location prefix. */
    public String what() {
        String message = getMessage();
        int colon = message.indexOf(": ");
        return (file == null && record == null && offset < 0) || colon < 0 ? message : message.substring(colon + 2);
    }

    /**
     * Returns this error located in {@code file} and {@code record}, keeping the offset and the
     * exception type. Used by containers that call inner readers (the unpickler knows the offset,
     * the zip reader knows the record, the caller knows the file).
     */
    public FileFormatException at(String file, String record) {
        String f = this.file != null ? this.file : file;
        String r = this.record != null ? this.record : record;
        return relocate(f, r);
    }

    /** Builds the same kind of exception at a new location; subclasses override to keep their type. */
    protected FileFormatException relocate(String file, String record) {
        return new FileFormatException(file, record, offset, what(), this);
    }

    static String describe(String file, String record, long offset, String what) {
        StringBuilder where = new StringBuilder();
        if (file != null) {
            where.append(file);
        }
        if (record != null) {
            where.append(where.isEmpty() ? "" : ", ").append("record ").append(record);
        }
        if (offset >= 0) {
            where.append(where.isEmpty() ? "" : ", ").append("offset ").append(offset);
        }
        return where.isEmpty() ? what : where + ": " + what;
    }
}
