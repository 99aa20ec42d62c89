package dev.pith;

/**
 * The root of every error Pith raises on purpose.
 *
 * <p>Pith's exceptions are unchecked, as a Java library's user expects for programming and data
 * errors; catching {@code PithException} catches them all. Subclasses say what kind of thing went
 * wrong ({@link FileFormatException} for a file that is not what it claims,
 * {@link UnsafePickleException} for a file that asks to run code, {@link ShapeException} for a
 * tensor operation on shapes that do not fit).
 *
 * <pre>{@code
 * try {
 *     Object checkpoint = Torch.load(path);
 * } catch (PithException e) {
 *     System.err.println(e.getMessage()); // one line: file, record, offset, what is wrong
 * }
 * }</pre>
 */
public class PithException extends RuntimeException {
    public PithException(String message) {
        super(message);
    }

    public PithException(String message, Throwable cause) {
        super(message, cause);
    }
}
