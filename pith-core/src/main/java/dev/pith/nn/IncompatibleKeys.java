package dev.pith.nn;

import java.util.List;

/**
 * What {@link Module#loadStateDict} found besides the keys it loaded, as PyTorch's
 * {@code _IncompatibleKeys}: the model's keys the state dict lacked, and the state dict's keys the
 * model has no place for.
 *
 * <pre>{@code
 * IncompatibleKeys r = model.loadStateDict(checkpoint, false);
 * System.out.println(r);   // <All keys matched successfully>
 *                          // or _IncompatibleKeys(missing_keys=['fc.bias'], unexpected_keys=[])
 * }</pre>
 *
 * @param missingKeys    keys of the model absent from the state dict, in the model's order
 * @param unexpectedKeys keys of the state dict that the model has no parameter or buffer for
 */
public record IncompatibleKeys(List<String> missingKeys, List<String> unexpectedKeys) {
    public IncompatibleKeys {
        missingKeys = List.copyOf(missingKeys);
        unexpectedKeys = List.copyOf(unexpectedKeys);
    }

    /** True when every key matched: nothing missing, nothing unexpected. */
    public boolean allMatched() {
        return missingKeys.isEmpty() && unexpectedKeys.isEmpty();
    }

    /** PyTorch's repr: {@code <All keys matched successfully>} or {@code _IncompatibleKeys(...)}. */
    @Override
    public String toString() {
        if (allMatched()) {
            return "<All keys matched successfully>";
        }
        return "_IncompatibleKeys(missing_keys=" + PyRepr.pyStringList(missingKeys)
                + ", unexpected_keys=" + PyRepr.pyStringList(unexpectedKeys) + ")";
    }
}
