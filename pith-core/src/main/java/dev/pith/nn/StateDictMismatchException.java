package dev.pith.nn;

import dev.pith.PithException;

import java.util.List;

/**
 * A state dict did not fit a module: {@link Module#loadStateDict} found missing or unexpected keys
 * (with {@code strict}), or tensors of the wrong shape (always). The message is PyTorch's,
 * word for word, listing every problem at once:
 *
 * <pre>
 * Error(s) in loading state_dict for Net:
 * 	Missing key(s) in state_dict: "fc.bias". 
 * 	Unexpected key(s) in state_dict: "extra.w". 
 * 	size mismatch for fc.weight: copying a param with shape torch.Size([4, 2]) from checkpoint, the shape in current model is torch.Size([3, 2]).
 * </pre>
 *
 * <p>The lists are also available one by one. {@link #missingKeys()} and {@link #unexpectedKeys()}
 * hold what was found even when, without {@code strict}, the message does not list them.
 */
public class StateDictMismatchException extends PithException {
    /** A tensor whose shape in the checkpoint differs from the model's. */
    public record SizeMismatch(String key, long[] checkpointShape, long[] modelShape) {
        public SizeMismatch {
            checkpointShape = checkpointShape.clone();
            modelShape = modelShape.clone();
        }

        @Override
        public long[] checkpointShape() {
            return checkpointShape.clone();
        }

        @Override
        public long[] modelShape() {
            return modelShape.clone();
        }

        /** PyTorch's line for this mismatch. */
        public String message() {
            return "size mismatch for " + key + ": copying a param with shape " + PyRepr.torchSize(checkpointShape)
                    + " from checkpoint, the shape in current model is " + PyRepr.torchSize(modelShape) + ".";
        }
    }

    private final String moduleName;
    private final List<String> missingKeys;
    private final List<String> unexpectedKeys;
    private final List<SizeMismatch> sizeMismatches;
    private final List<String> errors;

    /**
     * @param moduleName     the class name of the module loaded into (PyTorch's {@code self.__class__.__name__})
     * @param errors         the message lines in PyTorch's order (missing, unexpected, then per key)
     */
    public StateDictMismatchException(String moduleName, List<String> missingKeys, List<String> unexpectedKeys,
                                      List<SizeMismatch> sizeMismatches, List<String> errors) {
        super("Error(s) in loading state_dict for " + moduleName + ":\n\t" + String.join("\n\t", errors));
        this.moduleName = moduleName;
        this.missingKeys = List.copyOf(missingKeys);
        this.unexpectedKeys = List.copyOf(unexpectedKeys);
        this.sizeMismatches = List.copyOf(sizeMismatches);
        this.errors = List.copyOf(errors);
    }

    public String moduleName() {
        return moduleName;
    }

    public List<String> missingKeys() {
        return missingKeys;
    }

    public List<String> unexpectedKeys() {
        return unexpectedKeys;
    }

    public List<SizeMismatch> sizeMismatches() {
        return sizeMismatches;
    }

    /** Every line of the message after the first, in order. */
    public List<String> errors() {
        return errors;
    }
}
