package dev.pith;

/**
 * A tensor operation was asked for shapes, strides, indices or dtypes that do not fit, for example
 * a view that reaches outside its storage or a {@code narrow} beyond a dimension's size.
 */
public class ShapeException extends PithException {
    public ShapeException(String message) {
        super(message);
    }
}
