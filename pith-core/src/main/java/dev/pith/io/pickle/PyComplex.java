package dev.pith.io.pickle;

/** A Python {@code complex} number (pickled through {@code builtins.complex}). */
public record PyComplex(double real, double imag) {
}
