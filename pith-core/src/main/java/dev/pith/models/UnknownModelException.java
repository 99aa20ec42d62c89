package dev.pith.models;

import dev.pith.PithException;

import java.util.List;

/**
 * {@link Models} was asked for an architecture it does not have. The message names it and lists
 * the known ones: {@code unknown model 'resnet17'; known models: cifar-net, vgg11, ...}.
 */
public class UnknownModelException extends PithException {
    private final String name;

    public UnknownModelException(String name, List<String> known) {
        super("unknown model '" + name + "'; known models: " + String.join(", ", known));
        this.name = name;
    }

    /** The name that was asked for. */
    public String name() {
        return name;
    }
}
